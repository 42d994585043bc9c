/**
 * The five n8n community packages as n8n verifies them: generated from the vendors' definitions
 * with no diff, each a single-service package with its own manifest and README, built and
 * linted by n8n's own `n8n-node` (npm test builds them before jest runs), and passing n8n's
 * community-package scan on its source and on its packed tarball.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ICredentialType, INodeType } from 'n8n-workflow';
import { packageLayout, PACKAGES_DIR, ROOT } from '../../../scripts/generate/layout';
import { VENDORS, type VendorDefinition } from '../../../shared';

jest.setTimeout(240_000);

const vendors = Object.values(VENDORS) as VendorDefinition[];
const workspace = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const manifestOf = (vendor: VendorDefinition) => JSON.parse(readFileSync(join(packageLayout(vendor).folder, 'package.json'), 'utf8'));

/** The built file as n8n loads it: one exported class. */
function load<T>(file: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const [Class] = Object.values(require(file) as Record<string, new () => T>);
  return new Class!();
}

it('regenerating the packages and the vendor index leaves no diff', () => {
  const run = spawnSync('npx', ['tsx', 'scripts/generate-packages.ts', '--check'], { cwd: ROOT, encoding: 'utf8' });
  expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
});

it('has one package per vendor and nothing else under packages/', () => {
  expect(readdirSync(PACKAGES_DIR).sort()).toEqual(vendors.map((vendor) => packageLayout(vendor).packageName).sort());
});

it('keeps the workspace private and unpublished', () => {
  expect(workspace).toMatchObject({ private: true, workspaces: expect.arrayContaining(['packages/*']) });
  expect(workspace.n8n).toBeUndefined();
});

describe.each(vendors)('n8n-nodes-$id', (vendor) => {
  const layout = packageLayout(vendor);
  const manifest = manifestOf(vendor);
  const dist = (file: string) => join(layout.folder, 'dist', file);

  it('is declared as n8n verifies a community package: one service, MIT, no dependencies', () => {
    expect(manifest).toMatchObject({
      name: `n8n-nodes-${vendor.id}`,
      license: 'MIT',
      keywords: expect.arrayContaining(['n8n-community-node-package']),
      author: workspace.author,
      repository: { type: 'git', url: expect.stringMatching(/^git\+https:\/\/github\.com\//), directory: `packages/${layout.packageName}` },
      homepage: expect.stringMatching(/^https:\/\//),
      bugs: { url: expect.stringMatching(/^https:\/\/github\.com\/.+\/issues$/) },
      peerDependencies: { 'n8n-workflow': '*' },
      files: ['dist'],
      n8n: { n8nNodesApiVersion: 1, strict: true, nodes: [`dist/${layout.nodeDir}/${layout.nodeClass}.node.js`], credentials: [`dist/credentials/${layout.credentialClass}.credentials.js`] },
    });
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(manifest.devDependencies['@n8n/node-cli']).toBe(workspace.devDependencies['@n8n/node-cli']);
  });

  it('has a README naming its events, the versions tested and where to report a problem (its sections: docs.test.ts)', () => {
    const readme = readFileSync(join(layout.folder, 'README.md'), 'utf8');
    for (const event of Object.keys(vendor.events)) expect(readme).toContain(`\`${event}\``);
    expect(readme).toMatch(/Tested with n8n \d+\.\d+\.\d+/);
    expect(readme).toContain(manifest.bugs.url);
    if (vendor.signature.assumption !== undefined) expect(readme).toContain(vendor.signature.assumption);
  });

  it('keeps n8n-node’s own lint configuration, which its strict mode requires', () => {
    const template = join(ROOT, 'node_modules', '@n8n', 'node-cli', 'dist', 'template', 'templates', 'shared', 'default', 'eslint.config.mjs');
    expect(readFileSync(join(layout.folder, 'eslint.config.mjs'), 'utf8')).toBe(readFileSync(template, 'utf8'));
  });

  it('was built by n8n-node into dist/: the trigger, its credential, icons, codex and output schemas, and only its own vendor', () => {
    const node = load<INodeType>(dist(`${layout.nodeDir}/${layout.nodeClass}.node.js`));
    expect(node.description).toMatchObject({ name: layout.nodeName, displayName: `${vendor.name} Trigger`, group: ['trigger'], inputs: [], credentials: [expect.objectContaining({ name: layout.credentialType })] });
    expect(node.webhookMethods?.default).toEqual({ checkExists: expect.any(Function), create: expect.any(Function), delete: expect.any(Function) });
    expect(load<ICredentialType>(dist(`credentials/${layout.credentialClass}.credentials.js`)).name).toBe(layout.credentialType);
    for (const icon of [layout.icon, layout.darkIcon]) expect(existsSync(dist(`${layout.nodeDir}/${icon}`))).toBe(true);
    expect(JSON.parse(readFileSync(dist(`${layout.nodeDir}/${layout.nodeClass}.node.json`), 'utf8'))).toMatchObject({ node: layout.nodeType });
    for (const version of ['v1.0.0', 'v1.1.0']) {
      const schema = JSON.parse(readFileSync(dist(`${layout.nodeDir}/__schema__/${version}/output.json`), 'utf8'));
      expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['convhooks']));
    }
    expect(readdirSync(dist('shared/vendors'))).toEqual([`${vendor.id}.d.ts`, `${vendor.id}.js`, `${vendor.id}.js.map`]);
  });

  it('packs only its build, manifest and README', () => {
    const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: layout.folder, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    const paths: string[] = packed.files.map((file: { path: string }) => file.path);
    expect(paths.filter((path) => !path.startsWith('dist/') && !['package.json', 'README.md'].includes(path))).toEqual([]);
    expect(paths.filter((path) => path.endsWith('.ts') && !path.endsWith('.d.ts'))).toEqual([]);
  });

  it('passes n8n-node lint with its strict configuration: no findings', () => {
    // Not under jest's NODE_ENV=test, as for the scan below.
    const run = spawnSync('npx', ['n8n-node', 'lint'], { cwd: layout.folder, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } });
    // eslint's report names a place and a rule per finding.
    const output = `${run.stdout}${run.stderr}`.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
    expect({ status: run.status, findings: output.match(/\d+:\d+\s+(error|warning)\s.*/g) ?? [] }).toEqual({ status: 0, findings: [] });
  });
});

it('the code every package links in passes the same lint: n8n-node lint does not follow links', () => {
  const run = spawnSync('npx', ['eslint', '--no-config-lookup', '--config', 'scripts/generate/eslint.linked.mjs', 'nodes/trigger', 'shared'], { cwd: ROOT, encoding: 'utf8' });
  expect({ status: run.status, output: run.stdout.trim() }).toEqual({ status: 0, output: '' });
});

it('passes n8n’s own community-package scan on each package’s source and packed tarball', () => {
  // Not under jest's NODE_ENV=test: n8n's lint plugin checks file names differently there.
  const output = execFileSync('node', [join(ROOT, 'scripts', 'scan-n8n-package.mjs')], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } });
  for (const vendor of vendors) {
    expect(output).toContain(`${packageLayout(vendor).packageName} source: passed`);
    expect(output).toContain(`${packageLayout(vendor).packageName} tarball: passed`);
  }
});
