import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ICredentialType, INodeType } from 'n8n-workflow';
import { VENDORS, type VendorDefinition } from '../../../shared';

const root = join(__dirname, '..', '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

function load<T>(distPath: string): T {
  // The built files, as n8n loads them.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exported = require(join(root, distPath)) as Record<string, new () => T>;
  const [Class] = Object.values(exported);
  return new Class!();
}

describe('the built n8n package', () => {
  it('registers one trigger per vendor and its credential, all built', () => {
    expect(pkg.n8n.nodes).toHaveLength(5);
    expect(pkg.n8n.credentials).toHaveLength(5);
    for (const file of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) expect(existsSync(join(root, file))).toBe(true);
  });

  it.each(Object.values(VENDORS) as VendorDefinition[])('describes the $name trigger from its definition', (vendor) => {
    const node = load<INodeType>(`dist/nodes/${vendor.name}Trigger/${vendor.name}Trigger.node.js`);
    const { description } = node;
    expect(description).toMatchObject({ name: `${vendor.id}Trigger`, displayName: `${vendor.name} Trigger`, inputs: [], group: ['trigger'] });
    const events = description.properties.find((property) => property.name === 'events');
    expect(events?.options?.map((option) => ('value' in option ? option.value : undefined))).toEqual(['*', ...Object.keys(vendor.events)]);
    const credential = description.credentials?.[0];
    const credentialFile = pkg.n8n.credentials.find((file: string) => file.includes(`/${vendor.name}`));
    expect(load<ICredentialType>(credentialFile).name).toBe(credential?.name);
    expect(Boolean(node.webhookMethods)).toBe(vendor.registration.kind === 'api');
    expect(description.properties.some((property) => property.type === 'notice')).toBe(vendor.registration.kind === 'manual');
    const folder = join(root, 'dist', 'nodes', `${vendor.name}Trigger`);
    expect(existsSync(join(folder, `${vendor.id}.svg`))).toBe(true);
    const codex = JSON.parse(readFileSync(join(folder, `${vendor.name}Trigger.node.json`), 'utf8'));
    expect(codex).toMatchObject({ node: `n8n-nodes-convhooks.${vendor.id}Trigger`, resources: { primaryDocumentation: [{ url: expect.stringMatching(/^https:/) }] } });
    const schema = JSON.parse(readFileSync(join(folder, '__schema__', 'v1.0.0', 'output.json'), 'utf8'));
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['data', 'convhooks']));
  });

  it('passes n8n’s own community-package scan, on the source and on the packed tarball', () => {
    // Not under jest's NODE_ENV=test: n8n's lint plugin checks file names differently there.
    const env = { ...process.env, NODE_ENV: 'production' };
    const output = execFileSync('node', [join(root, 'scripts', 'scan-n8n-package.mjs')], { cwd: root, encoding: 'utf8', env });
    expect(output).toContain('source: passed');
    expect(output).toContain('tarball: passed');
  });
});
