// `npm start`: the simulator and a local n8n with ConvHooks loaded, one published demo
// workflow per vendor, a sample event through each, and what to do next.
import { VENDOR_IDS, VENDORS } from '../shared';
import { DEFAULT_SIMULATOR_PORT, describeAttempt } from '../simulator';
import { deployTrigger, executionsOf, liveAt } from './deployment';
import { fire } from './traffic';
import { DEMO_OWNER } from './n8n-api';
import { onShutdownSignal } from './children';
import { describeSettings, WEBHOOK_VOLUME_SETTINGS } from './n8n-tuning';
import { harnessPort } from './ports';
import { startStack, type Stack } from './stack';

const N8N_PORT = harnessPort(5678);
const SIMULATOR_PORT = harnessPort(DEFAULT_SIMULATOR_PORT);

async function main(): Promise<void> {
  let printDeliveries = false;
  // Installed before anything starts: a Ctrl-C while n8n is still starting kills it at exit.
  const started: { stack?: Stack } = {};
  onShutdownSignal(async () => {
    console.log('\nStopping n8n and the simulator…');
    await started.stack?.stop();
    console.log('Stopped.');
  });
  const stack = await startStack({
    n8nPort: N8N_PORT,
    name: 'demo',
    n8nEnv: WEBHOOK_VOLUME_SETTINGS,
    simulator: { port: SIMULATOR_PORT, onAttempt: (attempt) => printDeliveries && console.log(`  [simulator] ${describeAttempt(attempt)}`) },
  });
  started.stack = stack;
  console.log(`n8n runs with the settings recommended for webhook volume (docs/operations.md, "Tuning n8n for webhook volume"): ${describeSettings(WEBHOOK_VOLUME_SETTINGS)}`);

  const sendLines: string[] = [];
  for (const vendorId of VENDOR_IDS) {
    const vendor = VENDORS[vendorId];
    const deployment = await deployTrigger(stack, vendorId, { events: ['*'] });
    await deployment.publish();
    const [event] = Object.keys(vendor.events) as [string];
    await fire(stack, vendorId, event);
    const [execution] = await executionsOf(stack, deployment.id, 1);
    const subscriptions = vendor.registration.kind === 'api' ? `, ${(await liveAt(stack, vendorId, deployment.productionUrl)).length} subscription at ${vendor.name}` : '';
    console.log(`✓ ${vendor.name}: workflow published${subscriptions}; sample ${event} → execution ${execution?.id} (${execution?.status})`);
    const secret = await deployment.secret();
    sendLines.push(`  npx convhooks send ${vendorId} ${event} --url ${deployment.productionUrl} --secret ${secret}`);
  }
  printDeliveries = true;
  console.log(`
ConvHooks demo is running.

  n8n editor   ${stack.n8n.url}
  login        ${DEMO_OWNER.email} / ${DEMO_OWNER.password}
  simulator    ${stack.sim.url}  (Converc API ${stack.sim.baseUrl('converc')}, Convo API ${stack.sim.baseUrl('convo')})

Open a "ConvHooks demo" workflow and its Executions tab to see the typed items.
Fire more events, signed exactly as each vendor would (paste one):
${sendLines.join('\n')}
or let the simulator deliver one to every subscribed workflow, and watch its delivery log:
  npx convhooks trigger converc call.ended
  npx convhooks deliveries --follow

Press Ctrl-C to stop everything.`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
