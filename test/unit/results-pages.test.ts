import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lossPage } from '../../harness/loss-window-report';
import type { LossRow } from '../../harness/loss-window';
import { measuredPage, notMeasuredPage, RESULTS_DIR, RESULTS_PAGES, type RunHeader } from '../../harness/results-page';
import { soakTable } from '../../harness/soak-report';

const run: RunHeader = { cpu: 'Test CPU @ 2.00GHz', cores: 2, memoryGiB: 8, date: '2026-12-08T10:00:00.000Z', commit: 'abc1234' };

describe('results pages', () => {
  it('puts the machine, the date and the commit in the header, once', () => {
    const page = measuredPage(RESULTS_PAGES.bench, run, '| a | b |\n| --- | --- |\n| 1 | 2 |\n');
    expect(page.split('\n').slice(0, 5)).toEqual([
      '# Benchmarks',
      '',
      `${RESULTS_PAGES.bench.about} Written by \`npm run bench\`.`,
      '',
      'Measured on commit `abc1234`, 2026-12-08, on Test CPU @ 2.00GHz (2 cores, 8 GiB memory).',
    ]);
    expect(page.match(/abc1234/g)).toHaveLength(1);
    expect(page.endsWith('| 1 | 2 |\n')).toBe(true);
  });

  it('says a page not yet measured is not, and names the command that measures it', () => {
    expect(notMeasuredPage(RESULTS_PAGES.soak)).toContain('Not yet measured on this commit: run `npm run soak` to write this page.');
  });

  it.each(Object.values(RESULTS_PAGES))('commits $file as the writer makes it: measured, or its stub', (page) => {
    const committed = readFileSync(join(RESULTS_DIR, page.file), 'utf8');
    if (committed !== notMeasuredPage(page)) expect(committed).toMatch(new RegExp(`^# ${page.title}\\n[\\s\\S]*\\nMeasured on commit \``));
  });

  it('writes a loss-window row per vendor and case, with its answers sorted', () => {
    const row: LossRow = { mode: 'single process', vendor: 'converc', case: 'restart', sent: 15, executed: 15, recovered: 6, lost: 0, duplicated: 0, noSubscription: 0, crashedUnrun: 0, acceptedNotRunOnce: 0, answers: { refused: 4, '200': 9, '404': 2 }, windowMs: 5000 };
    expect(lossPage([row], 1).split('\n')).toContain('| single process | Converc | n8n restarts | 15 | 15 (6) | 0 | 0 | 0 | 0 | 200: 9, 404: 2, refused: 4 | 5.0 |');
  });

  it('writes the soak table, and says which part did not finish', () => {
    const table = soakTable({ matrix: { cases: 46, accepted: 14, refused: 32 } }, { casesPerProperty: 10000, passed: 7, failed: 0 });
    expect(table.split('\n').slice(2)).toEqual([
      '| hostile-input matrix | malformed, forged, replayed and oversized requests to a real n8n | 46 cases: 32 refused with no execution, 14 accepted with one each |',
      "| soak | signed Konvox events through a flaky network | did not finish: see the run's output |",
      "| lifecycle chaos | publish/unpublish cycles under vendor faults | did not finish: see the run's output |",
      '| core fuzzing | fast-check properties of `verify` and `parseEvent`, 10000 cases each | 7 held, 0 failed |',
    ]);
  });
});
