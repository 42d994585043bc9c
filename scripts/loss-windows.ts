// `npm run loss-windows`: every vendor's loss window in a real n8n, single process and queue
// mode (round-robin and routed by path). Prints the table and writes artifacts/loss-windows.json
// and docs/results/loss-windows.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VENDOR_IDS } from '../shared';
import { measureLossWindows, queueRestarts, singleProcessRestarts, type LossCase, type LossRow } from '../harness/loss-window';
import { lossPage, lossTable } from '../harness/loss-window-report';
import { ARTIFACTS_DIR } from '../harness/paths';
import { harnessPort } from '../harness/ports';
import { currentRun, measuredPage, RESULTS_PAGES, writeResultsPage } from '../harness/results-page';
import type { Routing } from '../harness/balancer';
import { startQueueStack } from '../harness/queue-stack';
import { startStack } from '../harness/stack';

const RATE_PER_SECOND = Number(process.env.LOSS_RATE ?? 1);
const LEAD_MS = Number(process.env.LOSS_LEAD_MS ?? 5000);
const REPUBLISHES: LossCase[] = ['republish-unchanged', 'republish-events'];
/**
 * `single`, `queue` (nginx's default, round-robin) and `queue-by-path` (every request for one path
 * to one processor, the routing docs/operations.md recommends), all three by default: name some to
 * measure them again after a change that touches only them.
 */
const SETUPS = new Set((process.env.LOSS_SETUPS ?? 'single,queue,queue-by-path').split(','));
const QUEUE_SETUPS: { setup: string; routing: Routing; mode: string }[] = [
  { setup: 'queue', routing: 'round-robin', mode: 'queue mode' },
  { setup: 'queue-by-path', routing: 'by-path', mode: 'queue mode, by path' },
];

async function main(): Promise<void> {
  const rows: LossRow[] = [];
  const measure = { vendors: VENDOR_IDS, ratePerSecond: RATE_PER_SECOND, leadMs: LEAD_MS };
  // The vendors' own delivery policies, unscaled: Konvox retries 30 s, 90 s and 210 s after the first attempt.
  if (SETUPS.has('single')) {
    const single = await startStack({ n8nPort: harnessPort(5717), name: 'loss-windows' });
    try {
      rows.push(...(await measureLossWindows({ ...measure, mode: 'single process', stack: single, cases: [...REPUBLISHES, 'restart'], restarts: singleProcessRestarts(single) })));
    } finally {
      await single.stop();
    }
  }
  for (const { setup, routing, mode } of QUEUE_SETUPS.filter((each) => SETUPS.has(each.setup))) {
    const queue = await startQueueStack({ basePort: harnessPort(5790), name: `loss-windows-${setup}` });
    try {
      await queue.balancer.route(routing);
      rows.push(...(await measureLossWindows({ ...measure, mode, stack: queue, cases: [...REPUBLISHES, 'rolling-restart', 'drained-rolling-restart', 'restart', 'drained-restart'], restarts: queueRestarts(queue) })));
    } finally {
      await queue.stop();
    }
  }
  const table = lossTable(rows);
  console.log(`\n${table}\n`);
  const header = currentRun();
  const run = {
    ...header,
    node: process.version,
    ratePerSecondPerVendor: RATE_PER_SECOND,
    leadMs: LEAD_MS,
    setups: [...SETUPS],
  };
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = join(ARTIFACTS_DIR, 'loss-windows.json');
  writeFileSync(file, `${JSON.stringify({ run, rows, table }, null, 2)}\n`);
  const page = measuredPage(RESULTS_PAGES.lossWindows, header, lossPage(rows, RATE_PER_SECOND));
  console.log(`Written to ${file} and ${writeResultsPage(RESULTS_PAGES.lossWindows, page)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
