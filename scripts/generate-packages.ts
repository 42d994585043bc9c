// `npm run packages:generate`: writes each vendor's n8n community package folder under
// packages/ and its Zapier app folder under zapier-app/apps/ from its definition, the
// vendor index, and the Make blueprints under make/blueprints/. `--check` writes nothing and lists what
// regenerating would change (exit 1 when anything would).
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BLUEPRINTS_DIR, blueprintFiles } from '../make/generate-blueprints';
import { packageFiles, type BuildTools } from './generate/files';
import { PACKAGES_DIR, packageLayout, ROOT } from './generate/layout';
import { vendorIndexSource, VENDORS_DIR } from './generate/vendor-index';
import { zapierAppFiles, zapierAppFolder, type ZapierRuntime } from './generate/zapier-app-files';

const check = process.argv.includes('--check');
const changes: string[] = [];

function writeFile(path: string, content: string): void {
  if (existsSync(path) && readFileSync(path, 'utf8') === content) return;
  changes.push(path);
  if (check) return;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

function linkTarget(path: string): string | undefined {
  try {
    return lstatSync(path).isSymbolicLink() ? readlinkSync(path) : undefined;
  } catch {
    return undefined; // Nothing there yet.
  }
}

function writeLink(path: string, target: string): void {
  if (linkTarget(path) === target) return;
  changes.push(path);
  if (check) return;
  rmSync(path, { recursive: true, force: true });
  mkdirSync(dirname(path), { recursive: true });
  symlinkSync(target, path);
}

/** The version is the one thing a release edits by hand in a generated manifest: kept as found. */
function versionIn(manifest: string): string {
  return existsSync(manifest) ? (JSON.parse(readFileSync(manifest, 'utf8')).version as string) : '0.1.0';
}

async function main(): Promise<void> {
  // The index first: the vendors are read through it.
  writeFile(join(VENDORS_DIR, 'index.ts'), vendorIndexSource());
  const { VENDORS } = await import('../shared/vendors');
  const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const pinned = (name: string) => {
    const version = root.devDependencies?.[name];
    if (typeof version !== 'string') throw new Error(`The workspace's package.json pins no ${name} in devDependencies.`);
    return version;
  };
  const tools: BuildTools = { '@n8n/node-cli': pinned('@n8n/node-cli'), eslint: pinned('eslint'), typescript: pinned('typescript') };
  const zapierRuntime: ZapierRuntime = { 'zapier-platform-core': pinned('zapier-platform-core'), zod: pinned('zod') };
  const expected = new Set<string>();
  for (const vendor of Object.values(VENDORS) as Parameters<typeof packageLayout>[0][]) {
    const layout = packageLayout(vendor);
    expected.add(layout.packageName);
    const { files, links } = packageFiles(vendor, layout, { version: versionIn(join(layout.folder, 'package.json')), author: root.author, tools });
    for (const [path, content] of Object.entries(files)) writeFile(join(layout.folder, path), content);
    for (const [path, target] of Object.entries(links)) writeLink(join(layout.folder, path), target);
    const zapierFolder = join(ROOT, zapierAppFolder(vendor));
    for (const [path, content] of Object.entries(zapierAppFiles(vendor, { version: versionIn(join(zapierFolder, 'package.json')), runtime: zapierRuntime }))) {
      writeFile(join(zapierFolder, path), content);
    }
    for (const icon of [layout.icon, layout.darkIcon]) {
      const path = join(layout.folder, layout.nodeDir, icon);
      if (!existsSync(path)) throw new Error(`${vendor.name}'s icon is missing: draw ${path} (the generator writes everything else).`);
    }
  }
  const strays = existsSync(PACKAGES_DIR) ? readdirSync(PACKAGES_DIR).filter((name) => name.startsWith('n8n-nodes-') && !expected.has(name)) : [];
  for (const stray of strays) console.error(`packages/${stray} belongs to no vendor in shared/vendors/: remove it.`);
  const blueprints = blueprintFiles();
  for (const [name, content] of Object.entries(blueprints)) writeFile(join(BLUEPRINTS_DIR, name), content);
  const strayBlueprints = existsSync(BLUEPRINTS_DIR) ? readdirSync(BLUEPRINTS_DIR).filter((name) => !Object.hasOwn(blueprints, name)) : [];
  for (const stray of strayBlueprints) console.error(`make/blueprints/${stray} belongs to no recipe in make/recipes.ts: remove it.`);
  if (check && changes.length > 0) console.error(`Regenerating would change:\n${changes.map((path) => `  ${path.slice(ROOT.length + 1)}`).join('\n')}\nRun npm run packages:generate.`);
  else if (!check) console.log(changes.length === 0 ? 'Packages already up to date.' : `Wrote ${changes.length} files.`);
  process.exitCode = (check && changes.length > 0) || strays.length > 0 || strayBlueprints.length > 0 ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
