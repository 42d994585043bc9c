/**
 * A clone of the repository alone must run every test: nothing the tests, the harness, the
 * scripts or the benchmark run may read from the folder beside the checkout (reference
 * material lives there on some machines, not in a clone).
 * `shared/` inside the checkout is the core and is fine; what is refused is any path that
 * leaves the checkout.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const root = resolve(__dirname, '..', '..');
const FOLDERS = ['test', 'harness', 'scripts', 'bench', join('zapier-app', 'scripts')];
const SOURCE = /\.(ts|js|mjs|cjs|sh|json)$/;

function filesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (name === 'node_modules' || name === 'dist') return [];
    if (statSync(path).isDirectory()) return filesUnder(path);
    return SOURCE.test(name) ? [path] : [];
  });
}

const leaves = (path: string) => relative(root, path).split(sep)[0] === '..';
const literal = /^\s*(['"`])([^'"`$]*)\1\s*$/;

/** Paths in `text` (a file at `file`) that reach outside the checkout, as written there. */
function pathsOutside(file: string, text: string): string[] {
  const found: string[] = [];
  // A relative path written out: '../../shared/x' from test/unit is the core; one more '../' is not.
  for (const match of text.matchAll(/(['"`])((?:\.\.\/)+[^'"`\s]*)\1/g)) {
    if (leaves(resolve(dirname(file), match[2] ?? ''))) found.push(match[2] ?? '');
  }
  // A path built from parts: join(__dirname, '..', …) is placed exactly; '..' from any other base cannot be, so it counts.
  for (const match of text.matchAll(/\b(?:join|resolve)\(([^()]*(?:\([^()]*\)[^()]*)*)\)/g)) {
    const [base = '', ...rest] = (match[1] ?? '').split(',');
    const parts = rest.map((part) => literal.exec(part)?.[2]);
    const end = parts.indexOf(undefined);
    // The literal parts up to the first that is not one: a variable may follow, but not undo, a climb.
    const fixed = (end < 0 ? parts : parts.slice(0, end)).filter((part): part is string => part !== undefined);
    const fromHere = /^\s*(__dirname|dirname\(fileURLToPath\(import\.meta\.url\)\))\s*$/.test(base);
    if (fromHere ? leaves(resolve(dirname(file), ...fixed)) : fixed.includes('..')) found.push(match[0]);
  }
  // The sibling folder by its absolute name.
  const sibling = resolve(dirname(root), 'shared');
  if (text.includes(sibling)) found.push(sibling);
  return found;
}

describe('the repository on its own', () => {
  it('has no test, harness, script or benchmark file that reaches outside the checkout', () => {
    const offenders = FOLDERS.flatMap((folder) => filesUnder(join(root, folder)))
      .map((file) => ({ file: relative(root, file), paths: pathsOutside(file, readFileSync(file, 'utf8')) }))
      .filter(({ paths }) => paths.length > 0);
    expect(offenders).toEqual([]);
  });

  it('would catch each way of reaching the sibling folder, and lets the core through', () => {
    // Spelled from parts, so this file does not itself hold the paths it refuses.
    const up = (times: number) => Array.from({ length: times }, () => '..');
    const quoted = (parts: string[]) => parts.map((part) => `'${part}'`).join(', ');
    const file = join(root, 'test', 'unit', 'example.test.ts');
    const reaching = [
      `import { x } from '${[...up(3), 'shared', 'x'].join('/')}';`,
      `readFileSync(join(__dirname, ${quoted([...up(3), 'shared', 'x.json'])}))`,
      `readFileSync(resolve(ROOT, ${quoted([...up(1), 'shared', 'x.json'])}))`,
      `readFileSync('${resolve(root, ...up(1), 'shared', 'x.json')}')`,
    ];
    for (const text of reaching) expect(pathsOutside(file, text)).not.toEqual([]);
    const staying = [
      `import { VENDORS } from '${[...up(2), 'shared'].join('/')}';`,
      `readFileSync(join(__dirname, ${quoted([...up(1), 'fixtures', 'x.json'])}))`,
      `const root = join(__dirname, ${quoted(up(2))});`,
    ];
    for (const text of staying) expect(pathsOutside(file, text)).toEqual([]);
  });
});
