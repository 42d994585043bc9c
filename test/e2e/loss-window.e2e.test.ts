/**
 * The loss window of every vendor in one real n8n, at reduced counts (`npm run loss-windows`
 * measures the full table, single process and queue mode): events sent continuously through
 * each vendor's own delivery policy while the workflow is republished and while n8n restarts.
 */
import { VENDOR_IDS, VENDORS, type VendorId } from '../../shared';
import { failedAttempts, measureLossWindows, singleProcessRestarts, type LossCase, type LossRow } from '../../harness/loss-window';
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
    expect(row(vendor, lossCase).duplicated).toBe(0);
    expect(row(vendor, lossCase).sent).toBeGreaterThan(0);
    // Converc's trigger answers before n8n records the execution: it refuses deliveries once n8n takes its activation down (catch-up.ts).
    expect(row(vendor, lossCase).acceptedNotRunOnce).toBe(0);
  });

  it('a republish that leaves the trigger alone loses nothing: every delivery is answered 200', () => {
    const unchanged = row(vendor, 'republish-unchanged');
    expect(unchanged).toMatchObject({ lost: 0, noSubscription: 0 });
    expect(Object.keys(unchanged.answers)).toEqual(['200']);
  });
});

const retries = (vendor: VendorId) => VENDORS[vendor].delivery.maxAttempts > 1;
const keepsRecentEvents = (vendor: VendorId) => {
  const { registration } = VENDORS[vendor];
  return registration.kind === 'api' && registration.api.recentEvents !== undefined;
};
const subscribesByApi = (vendor: VendorId) => VENDORS[vendor].registration.kind === 'api';

describe('republishing the trigger with other events', () => {
  it('never refuses the new subscription\'s deliveries as forgeries (no 401): the process that created it knows its secret', () => {
    for (const vendor of VENDOR_IDS.filter(subscribesByApi)) expect(row(vendor, 'republish-events').answers['401']).toBeUndefined();
  });

  it('loses nothing where the vendor keeps recent events (Converc): catch-up brings back what was sent while no subscription existed', () => {
    for (const vendor of VENDOR_IDS.filter(keepsRecentEvents)) expect(row(vendor, 'republish-events')).toMatchObject({ lost: 0, duplicated: 0 });
  });
});

describe('across a restart of n8n', () => {
  it('deliveries met a stopped or starting n8n (the restart was felt)', () => {
    for (const vendor of VENDOR_IDS) expect(row(vendor, 'restart').windowMs).toBeGreaterThan(0);
  });


  it('a vendor that retries (Konvox) loses nothing', () => {
    expect(VENDOR_IDS.filter(retries)).not.toEqual([]);
    for (const vendor of VENDOR_IDS.filter(retries)) expect(row(vendor, 'restart')).toMatchObject({ lost: 0, duplicated: 0 });
  });

  it('a vendor whose API keeps recent events (Converc) gets back what met n8n down, loses nothing, and nothing runs twice', () => {
    expect(VENDOR_IDS.filter(keepsRecentEvents)).not.toEqual([]);
    for (const vendor of VENDOR_IDS.filter(keepsRecentEvents)) {
      const restart = row(vendor, 'restart');
      expect(restart.recovered).toBeGreaterThan(0);
      expect(restart).toMatchObject({ lost: 0, duplicated: 0 });
    }
  });

  it('a vendor that never retries loses exactly the events whose one attempt n8n did not accept, less what the trigger recovered', () => {
    for (const vendor of VENDOR_IDS.filter((id) => !retries(id) && !keepsRecentEvents(id))) {
      const restart = row(vendor, 'restart');
      const { failed, refused } = failedAttempts(restart);
      // An attempt that timed out may still have run; one that was refused did not.
      expect(restart.lost).toBeGreaterThanOrEqual(refused + restart.noSubscription - restart.recovered);
      expect(restart.lost).toBeLessThanOrEqual(failed + restart.noSubscription - restart.recovered);
    }
  });
});
