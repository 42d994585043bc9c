/**
 * The loss window of every vendor in one real n8n, at reduced counts (`npm run loss-windows`
 * measures the full table, single process and queue mode): events sent continuously through
 * each vendor's own delivery policy while the workflow is republished and while n8n restarts.
 */
import { VENDOR_IDS, VENDORS, type VendorId } from '../../shared';
import { measureLossWindows, singleProcessRestarts, type LossCase, type LossRow } from '../../harness/loss-window';
import { lossTable } from '../../harness/loss-window-report';
import { harnessPort } from '../../harness/ports';
import { startStack, type Stack } from '../../harness/stack';

jest.setTimeout(900_000);

let stack: Stack;
let rows: LossRow[] = [];
const row = (vendor: VendorId, lossCase: LossCase) => rows.find((each) => each.vendor === vendor && each.case === lossCase)!;

beforeAll(async () => {
  // The vendors' delivery policies unscaled: Konvox's first retry comes 30 s after a failed attempt, as it would across a real restart.
  stack = await startStack({ n8nPort: harnessPort(5718), name: 'loss-window' });
  rows = await measureLossWindows({
    mode: 'single process',
    stack,
    vendors: VENDOR_IDS,
    cases: ['republish-unchanged', 'republish-events', 'restart'],
    ratePerSecond: 0.5,
    leadMs: 2000,
    restarts: singleProcessRestarts(stack),
  });
  console.log(`Loss windows, reduced:\n${lossTable(rows)}`);
}, 1_500_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

describe.each(VENDOR_IDS)('%s under continuous delivery', (vendor) => {
  it.each<LossCase>(['republish-unchanged', 'republish-events', 'restart'])('%s: every event the vendor saw answered 2xx ran exactly once, and nothing ran twice', (lossCase) => {
    expect(row(vendor, lossCase)).toMatchObject({ acceptedNotRunOnce: 0, duplicated: 0 });
    expect(row(vendor, lossCase).sent).toBeGreaterThan(0);
  });

  it('a republish that leaves the trigger alone loses nothing: every delivery is answered 200', () => {
    const unchanged = row(vendor, 'republish-unchanged');
    expect(unchanged).toMatchObject({ lost: 0, noSubscription: 0 });
    expect(Object.keys(unchanged.answers)).toEqual(['200']);
  });
});

describe('across a restart of n8n', () => {
  it('deliveries met a stopped or starting n8n (the restart was felt)', () => {
    for (const vendor of VENDOR_IDS) expect(row(vendor, 'restart').windowMs).toBeGreaterThan(0);
  });

  const retries = (vendor: VendorId) => VENDORS[vendor].delivery.maxAttempts > 1;

  it('a vendor that retries (Konvox) loses nothing', () => {
    expect(VENDOR_IDS.filter(retries)).not.toEqual([]);
    for (const vendor of VENDOR_IDS.filter(retries)) expect(row(vendor, 'restart')).toMatchObject({ lost: 0, duplicated: 0 });
  });

  it('a vendor that never retries loses exactly the events whose one attempt n8n did not accept, less what the trigger recovered', () => {
    for (const vendor of VENDOR_IDS.filter((id) => !retries(id))) {
      const restart = row(vendor, 'restart');
      const failedAttempts = Object.entries(restart.answers).filter(([answer]) => answer !== '200').reduce((sum, [, count]) => sum + count, 0);
      expect(restart.lost).toBe(failedAttempts + restart.noSubscription - restart.recovered);
    }
  });
});
