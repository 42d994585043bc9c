import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const WORKER = join(__dirname, 'load-worker.ts');

export interface PlannedRequest {
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** What the load worker sends: its requests in turn, spread over `connections`, for `seconds`. */
export interface LoadPlan {
  readonly url: string;
  readonly connections: number;
  readonly seconds: number;
  readonly requests: readonly PlannedRequest[];
}

export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly statuses: Record<string, number>;
  readonly latencyP99Ms: number;
}

export interface WorkerResult extends LoadResult {
  /** Requests sent; more than the plan holds means some were sent twice. */
  readonly sent: number;
  readonly wrapped: boolean;
  readonly errors: number;
  readonly timeouts: number;
}

/** Loads `plan.url` from a separate process (autocannon), so the generator shares no event loop with n8n or the bench. */
export async function load(plan: LoadPlan): Promise<WorkerResult> {
  const folder = mkdtempSync(join(tmpdir(), 'convhooks-load-'));
  try {
    const file = join(folder, 'plan.json');
    writeFileSync(file, JSON.stringify(plan));
    const { stdout } = await run(process.execPath, ['--import', 'tsx', WORKER, file], { maxBuffer: 64 * 1024 * 1024 });
    return JSON.parse(stdout) as WorkerResult;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Requests that must each be distinct (dedupe is on): running out of them would measure duplicates instead. */
export async function loadDistinct(plan: LoadPlan): Promise<WorkerResult> {
  const result = await load(plan);
  if (result.wrapped) throw new Error(`bench setup: ${result.sent} requests sent to ${plan.url} but only ${plan.requests.length} distinct ones prepared; raise the pool size`);
  return result;
}
