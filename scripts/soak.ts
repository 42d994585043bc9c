// `npm run soak`: the reliability suite and the core's fuzzing at full counts, then
// docs/results/soak.md from what they recorded. The page is written even when a test fails:
// its table then says which part did not finish.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS_DIR, ROOT } from '../harness/paths';
import { currentRun, measuredPage, RESULTS_PAGES, writeResultsPage } from '../harness/results-page';
import { soakTable, type ReliabilityFigures } from '../harness/soak-report';

const COUNTS = { SOAK_EVENTS: '10000', CHAOS_CYCLES: '50', FUZZ_RUNS: '10000' };
const FUZZ_SUITE = 'test/unit/fuzz';

interface JestReport {
  readonly testResults: readonly { readonly name: string; readonly assertionResults: readonly { readonly status: string }[] }[];
}

const readJson = <T>(file: string, fallback: T): T => (existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : fallback);

function main(): number {
  const run = currentRun();
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const reportFile = join(ARTIFACTS_DIR, 'soak-jest.json');
  const figuresFile = join(ARTIFACTS_DIR, 'reliability.json');
  // An earlier run's figures must not pass for this one's if the suite stops before it writes them.
  rmSync(figuresFile, { force: true });
  rmSync(reportFile, { force: true });
  const jest = spawnSync('npx', ['jest', '--runInBand', '--json', `--outputFile=${reportFile}`, 'test/e2e/reliability', FUZZ_SUITE], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...COUNTS } });
  const figures = readJson<ReliabilityFigures>(figuresFile, {});
  const fuzzTests = readJson<JestReport>(reportFile, { testResults: [] }).testResults.filter((suite) => suite.name.includes(FUZZ_SUITE)).flatMap((suite) => suite.assertionResults);
  const fuzz = { casesPerProperty: Number(COUNTS.FUZZ_RUNS), passed: fuzzTests.filter((test) => test.status === 'passed').length, failed: fuzzTests.filter((test) => test.status !== 'passed').length };
  console.log(`Written to ${writeResultsPage(RESULTS_PAGES.soak, measuredPage(RESULTS_PAGES.soak, run, soakTable(figures, fuzz)))}`);
  return jest.status ?? 1;
}

process.exit(main());
