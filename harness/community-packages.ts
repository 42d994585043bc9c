import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DEFAULT_RUNTIME, type Runtime } from './paths';
import { runCommand } from './run-command';
import { node24Env } from './runtime';

/**
 * Community packages as n8n installs them from Settings → Community nodes
 * (`CommunityPackagesService.downloadPackage` in n8n 1.123 and 2.41): the package unpacked into
 * `<user folder>/.n8n/nodes/node_modules/<name>`, its dev, peer and optional dependencies
 * struck from its package.json, `npm install` inside it, and its version entered in
 * `nodes/package.json`. n8n's only other step, `npm pack name@version`, fetches the tarball from
 * the registry; here the tarball is already packed. n8n also records the package in its
 * database (`installed_packages`), which only its Settings page reads: at start n8n loads
 * every `n8n-nodes-*` folder it finds in `nodes/node_modules`, recorded or not.
 */

/** The folders n8n scans at start: `n8n-nodes-*` and `@scope/n8n-nodes-*`. */
const LOADED_NAME = /^(@[a-z0-9][a-z0-9\-._]*\/)?n8n-nodes-[a-z0-9\-._]+$/;

/** n8n's own arguments to `npm install` for a community package. */
const NPM_INSTALL_ARGS = ['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false'];

const STRUCK_FIELDS = ['devDependencies', 'peerDependencies', 'optionalDependencies'];

interface Manifest {
  readonly name: string;
  readonly version: string;
  [field: string]: unknown;
}

/**
 * Packs each folder as `npm pack` would publish it, into `destination` (emptied first);
 * resolves with the tarballs' paths, in the folders' order.
 */
export async function packPackages(folders: readonly string[], destination: string): Promise<string[]> {
  rmSync(destination, { recursive: true, force: true });
  mkdirSync(destination, { recursive: true });
  const tarballs: string[] = [];
  for (const folder of folders) {
    const [packed] = JSON.parse(await runCommand('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', destination, '--loglevel=error'], { cwd: folder })) as { filename: string }[];
    if (!packed) throw new Error(`npm pack in ${folder} produced no tarball`);
    tarballs.push(join(destination, packed.filename));
  }
  return tarballs;
}

async function nameOf(tarball: string): Promise<string> {
  if (!existsSync(tarball)) throw new Error(`No packed package at ${tarball}`);
  const manifest: unknown = JSON.parse(await runCommand('tar', ['-xzOf', tarball, 'package/package.json'], { cwd: '/' }));
  const { name, version } = (manifest ?? {}) as Partial<Manifest>;
  if (typeof name !== 'string' || typeof version !== 'string') throw new Error(`${basename(tarball)} has no package name and version in its package.json`);
  if (!LOADED_NAME.test(name)) throw new Error(`n8n loads community packages named n8n-nodes-… or @scope/n8n-nodes-… only; ${basename(tarball)} is "${name}"`);
  return name;
}

/** `nodes/package.json`: n8n's ledger of what it installed, rebuilt when it is missing or unusable, as n8n does. */
function recordInLedger(nodesDir: string, name: string, version: string): void {
  const ledgerFile = join(nodesDir, 'package.json');
  let ledger: { dependencies?: Record<string, string> } = {};
  try {
    ledger = JSON.parse(readFileSync(ledgerFile, 'utf8'));
  } catch {
    // Missing or unreadable: n8n rebuilds it too.
  }
  const dependencies = { ...(ledger.dependencies ?? {}), [name]: version };
  writeFileSync(ledgerFile, JSON.stringify({ name: 'installed-nodes', private: true, ...ledger, dependencies }, null, 2));
}

/**
 * Installs each packed package into the user folder's `nodes/`, replacing an earlier install
 * of the same name, with the runtime's own npm and Node. Resolves with the installed names.
 */
export async function installCommunityPackages(userFolder: string, tarballs: readonly string[], runtime: Runtime = DEFAULT_RUNTIME): Promise<string[]> {
  if (tarballs.length === 0) throw new Error('No packed packages to install into n8n');
  const nodesDir = join(userFolder, '.n8n', 'nodes');
  const installed: string[] = [];
  for (const tarball of tarballs) {
    const name = await nameOf(tarball);
    const packageDir = join(nodesDir, 'node_modules', name);
    rmSync(packageDir, { recursive: true, force: true });
    mkdirSync(packageDir, { recursive: true });
    await runCommand('tar', ['-xzf', tarball, '-C', packageDir, '--strip-components=1'], { cwd: nodesDir });
    const manifestFile = join(packageDir, 'package.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
    // n8n resolves n8n-workflow (the peer) and zod from its own node_modules; npm must not install copies.
    for (const field of STRUCK_FIELDS) delete manifest[field];
    writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
    await runCommand('npm', NPM_INSTALL_ARGS, { cwd: packageDir, env: node24Env(runtime) });
    recordInLedger(nodesDir, name, manifest.version);
    installed.push(name);
  }
  return installed;
}
