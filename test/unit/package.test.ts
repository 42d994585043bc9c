import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pkg = require('../../package.json');

describe('the n8n community package', () => {
  it('is declared as n8n expects of a community package', () => {
    expect(pkg.name).toBe('n8n-nodes-convhooks');
    expect(pkg.license).toBe('MIT');
    expect(pkg.keywords).toContain('n8n-community-node-package');
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
    expect(pkg.devDependencies.zod).toBe('3.25.76');
  });

  it('packs only the compiled core, nodes and credentials', () => {
    const [packed] = JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
    );
    const paths: string[] = packed.files.map((file: { path: string }) => file.path);
    expect(paths).toContain('dist/shared/index.js');
    const outside = paths.filter((path) => !/^dist\/(shared|nodes|credentials)\//.test(path) && !['package.json', 'README.md', 'LICENSE'].includes(path));
    expect(outside).toEqual([]);
    expect(paths.filter((path) => /\.test\.|\.ts$/.test(path) && !path.endsWith('.d.ts'))).toEqual([]);
  });
});
