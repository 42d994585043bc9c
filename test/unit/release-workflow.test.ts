import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { load } from 'js-yaml';

const root = join(__dirname, '..', '..');
const WORKFLOWS = join(root, '.github', 'workflows');

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  env?: Record<string, unknown>;
  with?: Record<string, unknown>;
  'working-directory'?: string;
}

interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, { steps: Step[] }>;
}

function workflow(file: string): Workflow {
  return load(readFileSync(join(WORKFLOWS, file), 'utf8')) as Workflow;
}

/** `{{` that does not open `${{ … }}`: what n8n's template leaves of an expression (`$\{{ … }}`, `{{ … }}`). */
const BARE_BRACES = /(?<!\$)\{\{/;
/** Keys whose every value is handed to the runner as text: an empty one is an expression that was lost. */
const TEXT_MAPS = new Set(['env', 'with']);
const TEXT_KEYS = new Set(['run', 'working-directory']);

/** Where a workflow holds a lost or broken `${{ … }}`, as `path: what`. */
function expressionFaults(value: unknown, path = '', key = '', parentKey = ''): string[] {
  const mustBeText = TEXT_KEYS.has(key) || TEXT_MAPS.has(parentKey);
  if (typeof value === 'string') {
    if (mustBeText && (value.trim() === '' || value.trim() === '$')) return [`${path}: empty`];
    if (BARE_BRACES.test(value)) return [`${path}: "{{" without "$" in ${JSON.stringify(value)}`];
    if (/\$\{\{\s*\}\}/.test(value)) return [`${path}: empty expression`];
    return [];
  }
  if (mustBeText && (value === null || typeof value === 'object')) return [`${path}: ${value === null ? 'empty' : 'not text'}`];
  if (Array.isArray(value)) return value.flatMap((item, index) => expressionFaults(item, `${path}[${index}]`, '', key));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([name, item]) => expressionFaults(item, `${path}.${name}`, name, key));
  }
  return [];
}

/** Every text of a workflow, to find an expression in wherever it stands. */
function texts(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(texts);
  return [];
}

/** The expressions each workflow needs, literally: a lost one leaves the job without its value. */
const EXPECTED_EXPRESSIONS: Record<string, string[]> = {
  'release.yml': ['${{ github.ref_name }}', '${{ steps.tag.outputs.dir }}', '${{ secrets.NPM_TOKEN }}'],
  'ci.yml': ['${{ github.ref }}', "${{ github.event_name == 'pull_request' }}"],
};

describe('the workflow files', () => {
  const files = readdirSync(WORKFLOWS).filter((name) => /\.ya?ml$/.test(name)).sort();

  it('are the release and the CI workflow', () => {
    expect(files).toEqual(Object.keys(EXPECTED_EXPRESSIONS).sort());
  });

  it('pass actionlint with no findings', () => {
    const linted = spawnSync(process.execPath, [join(root, 'scripts', 'lint-workflows.js')], { cwd: root, encoding: 'utf8' });
    expect({ status: linted.status, output: `${linted.stdout}${linted.stderr}` }).toEqual({
      status: 0,
      output: `actionlint: ${files.length} workflow files, 0 findings\n`,
    });
  });

  it.each(files)('%s keeps every ${{ … }} whole', (file) => {
    expect(expressionFaults(workflow(file))).toEqual([]);
    const all = texts(workflow(file));
    for (const expression of EXPECTED_EXPRESSIONS[file] ?? []) expect(all.filter((text) => text.includes(expression))).not.toEqual([]);
  });

  it('finds what the n8n template leaves of an expression', () => {
    const broken = load(`
on: push
jobs:
  publish:
    steps:
      - run: '{{packageManager.name}} run release'
        env:
          NPM_TOKEN: $\\{{ secrets.NPM_TOKEN }}
          EMPTY: ''
          NOTHING:
          DOLLAR: $
      - with:
          token: '{{ secrets.NPM_TOKEN }}'
        working-directory: \${{ }}
`);
    expect(expressionFaults(broken)).toEqual([
      '.jobs.publish.steps[0].run: "{{" without "$" in "{{packageManager.name}} run release"',
      '.jobs.publish.steps[0].env.NPM_TOKEN: "{{" without "$" in "$\\\\{{ secrets.NPM_TOKEN }}"',
      '.jobs.publish.steps[0].env.EMPTY: empty',
      '.jobs.publish.steps[0].env.NOTHING: empty',
      '.jobs.publish.steps[0].env.DOLLAR: empty',
      '.jobs.publish.steps[1].with.token: "{{" without "$" in "{{ secrets.NPM_TOKEN }}"',
      '.jobs.publish.steps[1].working-directory: empty expression',
    ]);
  });
});

describe('the release workflow', () => {
  const release = workflow('release.yml');
  const jobs = Object.values(release.jobs);
  const steps = jobs[0]?.steps ?? [];
  const tagStep = steps.find((step) => step.id === 'tag');

  /** The one step that runs `command` (in the package's folder when `inPackage`); fails unless there is exactly one. */
  function indexOf(command: RegExp, inPackage = false): number {
    const matching = steps.flatMap((step, index) =>
      command.test(step.run ?? '') && (step['working-directory'] === '${{ steps.tag.outputs.dir }}') === inPackage ? [index] : [],
    );
    expect({ command: String(command), inPackage, steps: matching.length }).toEqual({ command: String(command), inPackage, steps: 1 });
    return matching[0] ?? -1;
  }

  it('runs on a push of a per-package tag only, in one job', () => {
    expect(release.on).toEqual({ push: { tags: ['n8n-nodes-*@*'] } });
    expect(jobs).toHaveLength(1);
  });

  it('may read the repository and mint the OIDC token provenance is signed with, nothing more', () => {
    expect(release.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
  });

  it('publishes from the tagged package with provenance, after the checks and tests', () => {
    const publish = indexOf(/npm publish/, true);
    expect(steps[publish]?.run).toBe('npm publish --provenance --access public');
    expect(steps[publish]?.env?.NODE_AUTH_TOKEN).toBe('${{ secrets.NPM_TOKEN }}');
    const before = [
      indexOf(/^npm ci$/),
      indexOf(/npm run typecheck/),
      indexOf(/npm run lint/),
      indexOf(/npm run build/),
      indexOf(/npm run n8n:install/),
      indexOf(/jest --ci test\/unit test\/integration/),
      indexOf(/npm run packages:check/),
      indexOf(/^npm run lint$/, true),
      indexOf(/^npm run build$/, true),
    ];
    expect(before.filter((index) => index >= publish)).toEqual([]);
    expect(publish).toBe(steps.length - 1);
  });

  it('checks the tag before installing anything', () => {
    expect(tagStep?.env?.TAG).toBe('${{ github.ref_name }}');
    expect(steps.indexOf(tagStep as Step)).toBeLessThan(indexOf(/^npm ci$/));
    expect(steps.findIndex((step) => step.uses?.startsWith('actions/setup-node@'))).toBeGreaterThan(steps.indexOf(tagStep as Step));
  });

  describe('its tag check, run as the runner runs it', () => {
    let work: string;
    beforeAll(() => {
      work = mkdtempSync(join(tmpdir(), 'convhooks-release-tag-'));
      const packages = { 'n8n-nodes-konver': { name: 'n8n-nodes-konver', version: '0.2.0' }, 'n8n-nodes-convo': { name: 'n8n-nodes-konver', version: '0.2.0' } };
      for (const [folder, manifest] of Object.entries(packages)) {
        mkdirSync(join(work, 'packages', folder), { recursive: true });
        writeFileSync(join(work, 'packages', folder, 'package.json'), JSON.stringify(manifest));
      }
    });
    afterAll(() => rmSync(work, { recursive: true, force: true }));

    function check(tag: string): { status: number | null; output: string; githubOutput: string } {
      const githubOutput = join(work, `output-${tag.replace(/\W/g, '_')}`);
      writeFileSync(githubOutput, '');
      // The shell GitHub runs a `run:` in on Linux.
      const ran = spawnSync('bash', ['--noprofile', '--norc', '-e', '-o', 'pipefail', '-c', tagStep?.run ?? 'exit 99'], {
        cwd: work,
        stdio: ['ignore', 'pipe', 'pipe'],
        encoding: 'utf8',
        env: { PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`, TAG: tag, GITHUB_OUTPUT: githubOutput },
      });
      return { status: ran.status, output: `${ran.stdout}${ran.stderr}`, githubOutput: readFileSync(githubOutput, 'utf8') };
    }

    it('hands on the package folder when its package.json has the tag\'s name and version', () => {
      expect(check('n8n-nodes-konver@0.2.0')).toEqual({ status: 0, output: '', githubOutput: 'dir=packages/n8n-nodes-konver\n' });
    });

    it.each([
      ['n8n-nodes-konver@0.3.0', 'packages/n8n-nodes-konver/package.json is n8n-nodes-konver@0.2.0, not n8n-nodes-konver@0.3.0'],
      ['n8n-nodes-convo@0.2.0', 'packages/n8n-nodes-convo/package.json is n8n-nodes-konver@0.2.0, not n8n-nodes-convo@0.2.0'],
      ['n8n-nodes-nobody@0.2.0', 'this commit has no packages/n8n-nodes-nobody/package.json'],
      ['n8n-nodes-konver@0.2.0-rc.1', 'is not n8n-nodes-<vendor>@X.Y.Z'],
      ['n8n-nodes-../konver@0.2.0', 'is not n8n-nodes-<vendor>@X.Y.Z'],
    ])('refuses %s, saying why', (tag, reason) => {
      const result = check(tag);
      expect(result).toEqual({ status: 1, output: expect.stringContaining(reason), githubOutput: '' });
      expect(result.output).toMatch(/^::error::/);
    });
  });
});
