// The pages under docs/results/: each measuring command writes its own, with the machine, the
// date and the commit in the page's header. They are the only place a figure appears, so the
// docs link to them instead of copying numbers that go stale with the next change.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './paths';

export const RESULTS_DIR = join(ROOT, 'docs', 'results');

/** One results page: its file, its title, what it measures, and the command that writes it. */
export interface ResultsPage {
  readonly file: string;
  readonly title: string;
  readonly about: string;
  readonly command: string;
}

export const RESULTS_PAGES = {
  bench: { file: 'bench.md', title: 'Benchmarks', about: 'Throughput of the core and of the n8n trigger, each as a ratio to a baseline measured in the same run.', command: 'npm run bench' },
  lossWindows: { file: 'loss-windows.md', title: 'Loss windows', about: 'How many events each vendor loses while n8n restarts or a trigger is republished, single process and queue mode.', command: 'npm run loss-windows' },
  soak: { file: 'soak.md', title: 'Soak', about: 'Hostile input, a long run of signed events through a flaky network, lifecycle chaos and fuzzing of the core, at full counts.', command: 'npm run soak' },
} as const satisfies Record<string, ResultsPage>;

/** Where and when a run happened: the page's header, and nowhere else. */
export interface RunHeader {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  /** ISO 8601. */
  readonly date: string;
  /** Short hash, marked when the working tree had uncommitted changes. */
  readonly commit: string;
}

/** This machine, now, at the checked-out commit. */
export function currentRun(): RunHeader {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  const dirty = git('status', '--porcelain', '--untracked-files=no') !== '';
  return {
    cpu: cpus()[0]?.model ?? 'unknown CPU',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    date: new Date().toISOString(),
    commit: `${git('rev-parse', '--short', 'HEAD')}${dirty ? ' (with uncommitted changes)' : ''}`,
  };
}

const heading = (page: ResultsPage) => `# ${page.title}\n\n${page.about} Written by \`${page.command}\`.\n`;

/** A page of figures from one run. */
export function measuredPage(page: ResultsPage, run: RunHeader, body: string): string {
  const header = `Measured on commit \`${run.commit}\`, ${run.date.slice(0, 10)}, on ${run.cpu} (${run.cores} cores, ${run.memoryGiB} GiB memory).`;
  return `${heading(page)}\n${header}\n\n${body.trim()}\n`;
}

/** The page before its first run, so the links to it resolve. */
export function notMeasuredPage(page: ResultsPage): string {
  return `${heading(page)}\nNot yet measured on this commit: run \`${page.command}\` to write this page.\n`;
}

export function writeResultsPage(page: ResultsPage, content: string): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, page.file);
  writeFileSync(file, content);
  return file;
}
