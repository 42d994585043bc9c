import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ESLint } from 'eslint';

const root = join(__dirname, '..', '..');

function coreFiles(dir = join(root, 'shared')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? coreFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

describe('the host-free core', () => {
  // The project's own config, passed in: ESLint would load the file with import(), which jest cannot run.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const eslint = new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: require('../../eslint.config.js') });

  it.each([
    ["import { NodeApiError } from 'n8n-workflow';", 'no-restricted-imports'],
    ["import zapier from 'zapier-platform-core';", 'no-restricted-imports'],
    ["import { readFileSync } from 'node:fs';", 'no-restricted-imports'],
    ["import http from 'http';", 'no-restricted-imports'],
    ['export const port = process.env.PORT;', 'no-restricted-globals'],
    ['setTimeout(() => undefined, 1);', 'no-restricted-globals'],
    ['export const g = globalThis;', 'no-restricted-globals'],
    ["export const lazy = () => import('node:fs');", 'no-restricted-syntax'],
  ])('is kept from `%s` by the lint rule %s', async (source, rule) => {
    const [result] = await eslint.lintText(source, { filePath: join(root, 'shared', 'probe.ts') });
    expect(result?.messages.map((message) => message.ruleId)).toContain(rule);
  });

  it('passes those rules in every file', async () => {
    const files = coreFiles();
    expect(files.length).toBeGreaterThan(8);
    const results = await eslint.lintFiles(files);
    const problems = results.flatMap((result) =>
      result.messages.map((m) => `${relative(root, result.filePath)}:${m.line} ${m.ruleId}: ${m.message}`),
    );
    expect(problems).toEqual([]);
  });

  it('imports only zod, node:crypto and its own modules', () => {
    const imported = coreFiles().flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)].map((match) => match[1] ?? ''),
    );
    expect([...new Set(imported.filter((spec) => !spec.startsWith('.')))].sort()).toEqual(['node:crypto', 'zod/v4']);
  });
});
