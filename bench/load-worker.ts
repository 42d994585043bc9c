// Run by bench/load.ts in a process of its own, so the load generator shares neither n8n's nor
// the bench's event loop. Reads a load plan (a file named on the command line), sends its
// requests in turn from every connection, and prints autocannon's figures as JSON.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import type { LoadPlan, WorkerResult } from './load';

async function main(): Promise<void> {
  const plan = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as LoadPlan;
  let sent = 0;
  // One counter for all connections: each request takes the next entry, so no two are alike
  // until the list runs out (reported as `wrapped`).
  const setupRequest = (request: autocannon.Request) => {
    const next = plan.requests[sent % plan.requests.length]!;
    sent += 1;
    return { ...request, method: next.method, headers: next.headers, body: next.body };
  };
  const result = await autocannon({
    url: plan.url,
    connections: plan.connections,
    duration: plan.seconds,
    requests: [{ setupRequest }],
  });
  const statuses = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, stats]) => [code, stats.count]));
  const output: WorkerResult = { requestsPerSecond: result.requests.average, statuses, latencyP99Ms: result.latency.p99, sent, wrapped: sent > plan.requests.length, errors: result.errors, timeouts: result.timeouts };
  process.stdout.write(JSON.stringify(output));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
