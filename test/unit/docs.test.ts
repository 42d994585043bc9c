/**
 * Docs that stay true: every relative link and anchor in a committed Markdown file resolves, the
 * README stays a five-minute read, each package README has every section an n8n user needs,
 * and no user-facing page carries a commit or a dated run (those live in docs/results/).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { anchors, brokenLinks, linkTargets, slug, type Repository } from '../support/markdown-links';

const root = join(__dirname, '..', '..');
const committed = execFileSync('git', ['ls-files', '*.md'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);
const repository: Repository = { exists: (path) => existsSync(join(root, path)), read: (path) => readFileSync(join(root, path), 'utf8') };

const README_MAX_LINES = 250;
const PACKAGE_README_SECTIONS = ['Installation', 'Setup', 'Credentials', 'Trigger events', 'Options', 'Output', 'Answers', 'Troubleshooting', 'Compatibility', 'Assumptions', 'Resources', 'Version history'];
const PACKAGE_README_ANSWERS = ['signature_mismatch', 'missing_signature', 'malformed_signature', 'no_secret', 'stale_event', '400', '413', '"duplicate":true', '"ignored"'];

function missingFromPackageReadme(readme: string): string[] {
  const sections = PACKAGE_README_SECTIONS.filter((section) => !readme.includes(`\n## ${section}\n`)).map((section) => `section "${section}"`);
  return [...sections, ...PACKAGE_README_ANSWERS.filter((answer) => !readme.includes(answer)).map((answer) => `answer ${answer}`)];
}

/** A commit hash in backticks, or a date outside code: both belong to docs/results only. */
function runTraces(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, '');
  return [...prose.matchAll(/`[0-9a-f]{7,40}`|\b20\d\d-[01]\d-[0-3]\d\b/g)].map((match) => match[0]);
}

const userFacing = (file: string) => !file.startsWith('docs/results/') && !file.startsWith('test/') && file !== 'CHANGELOG.md';

describe('the checks catch what they are for', () => {
  const fixture = '# Title\n\n## Set up `n8n` (2.x)\n\n[ok](#set-up-n8n-2x) [bad anchor](#no-such-heading) [bad file](missing.md)\n\n```\n[in code](nowhere.md)\n```\n';
  const pages: Repository = { exists: (path) => path === 'page.md', read: () => fixture };

  it('reports a broken link and a broken anchor, and nothing in code', () => {
    expect(brokenLinks('page.md', fixture, pages)).toEqual(['page.md: #no-such-heading (no such anchor)', 'page.md: missing.md (no such file)']);
  });

  it('makes anchors as GitHub does, numbering repeats', () => {
    expect(slug('Use it in n8n, Zapier & Make')).toBe('use-it-in-n8n-zapier--make');
    expect([...anchors('## A\n## A\n## `b.c` d')]).toEqual(['a', 'a-1', 'bc-d']);
    expect(linkTargets('see `[x](y.md)` and [z](docs/z.md#top "title")')).toEqual(['docs/z.md#top']);
  });

  it('reports a package README missing a section or an answer, and a dated run', () => {
    expect(missingFromPackageReadme('# x\n\n## Installation\n\nsignature_mismatch\n')).toEqual(expect.arrayContaining(['section "Setup"', 'answer stale_event']));
    expect(runTraces('Measured at `ae23044` on 2026-12-06.\n```json\n"2026-03-19T14:30:00Z"\n```\n')).toEqual(['`ae23044`', '2026-12-06']);
  });
});

describe('the committed docs', () => {
  it.each(committed)('%s has no broken relative link or anchor', (file) => {
    expect(brokenLinks(file, repository.read(file), repository)).toEqual([]);
  });

  it(`keeps the README at ${README_MAX_LINES} lines at most`, () => {
    expect(repository.read('README.md').split('\n').length).toBeLessThanOrEqual(README_MAX_LINES);
  });

  it.each(committed.filter((file) => /^packages\/[^/]+\/README\.md$/.test(file)))('%s has every section and answer an n8n user needs', (file) => {
    expect(missingFromPackageReadme(repository.read(file))).toEqual([]);
  });

  it.each(committed.filter(userFacing))('%s names no commit and no dated run', (file) => {
    expect(runTraces(repository.read(file))).toEqual([]);
  });
});
