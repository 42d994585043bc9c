/**
 * Starts one harness stack and holds it until a signal arrives, as a test run does between its
 * first and last test: for checking that an interrupted run leaves no server behind.
 * Usage: tsx test/support/hold-stack.ts single|queue PORT
 */
import { startQueueStack } from '../../harness/queue-stack';
import { startStack } from '../../harness/stack';

async function main(): Promise<void> {
  const [kind, port] = process.argv.slice(2);
  if ((kind !== 'single' && kind !== 'queue') || !Number.isInteger(Number(port))) throw new Error('Usage: hold-stack.ts single|queue PORT');
  if (kind === 'single') await startStack({ n8nPort: Number(port), name: 'hold-single' });
  else await startQueueStack({ basePort: Number(port), name: 'hold-queue' });
  console.log('Stack ready.');
  // Held open by the servers' handles until a signal ends the process.
  setInterval(() => undefined, 60_000);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
