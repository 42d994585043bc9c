// `npm run bench`: the core's hot path against the floor and two well-known verifiers; our
// trigger against n8n's own Webhook node and against n8n's own refusals, in one real n8n per
// setting; queue mode against a single process; and the package's size. Every figure is a
// ratio to a baseline measured in the same run.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { triggerPackageFolders } from '../harness/n8n-packages';
import { describeSettings, WEBHOOK_VOLUME_SETTINGS } from '../harness/n8n-tuning';
import { ARTIFACTS_DIR, ROOT } from '../harness/paths';
import { harnessPort } from '../harness/ports';
import { currentRun, measuredPage, RESULTS_PAGES, writeResultsPage } from '../harness/results-page';
import { startQueueStack } from '../harness/queue-stack';
import { startStack } from '../harness/stack';
import { benchCore, type CoreRow } from './core';
import { benchN8n, type BenchLoad, type N8nRow } from './n8n';
import { benchStartup, type StartupRow } from './startup';
import { compared, measuredOnly, resultsTable, type BenchResult } from './results';
import { throughput, type Throughput } from './throughput';

const TARGETS = {
  oursOverFloor: { atLeast: 0.75 },
  oursOverStandardwebhooks: { atLeast: 2 },
  oursOverStripe1KB: { atLeast: 1 },
  acceptedOverBuiltin: { atLeast: 0.95 },
  forgedOverCheapestNodeRefusal: { atLeast: 1 },
  startupCallsPerTrigger: { atMost: 0.5 },
  tarballKB: { atMost: 150 },
  runtimeDependencies: { atMost: 0 },
} as const;

interface N8nSetting {
  readonly name: string;
  readonly env: Readonly<Record<string, string>>;
  /** The targets on our trigger apply under the setting we recommend. */
  readonly recommended: boolean;
}

const SETTINGS: readonly N8nSetting[] = [
  { name: "n8n's defaults", env: {}, recommended: false },
  { name: 'N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true', env: { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' }, recommended: false },
  { name: `recommended (${describeSettings(WEBHOOK_VOLUME_SETTINGS)})`, env: WEBHOOK_VOLUME_SETTINGS, recommended: true },
];

/** `BENCH_PARTS=core,n8n,queue,startup` (any of them) runs only those parts; all by default. */
const PARTS = new Set((process.env.BENCH_PARTS ?? 'core,n8n,queue,startup').split(',').map((part) => part.trim()));
/** Published workflows of each kind in the start-up part. */
const STARTUP_TRIGGERS = Number(process.env.BENCH_STARTUP_TRIGGERS ?? 200);

/** The largest of the five packages as n8n installs it (built first), and the most runtime dependencies any declares. */
function packageFigures() {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'ignore' });
  const packages = triggerPackageFolders().map((folder) => {
    const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: folder, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { name: string; dependencies?: Record<string, string> };
    return { name: manifest.name, tarballKB: packed.size / 1024, files: packed.entryCount, runtimeDependencies: Object.keys(manifest.dependencies ?? {}).length };
  });
  return { packages, tarballKB: Math.max(...packages.map((pkg) => pkg.tarballKB)), runtimeDependencies: Math.max(...packages.map((pkg) => pkg.runtimeDependencies)) };
}

function coreResults(core: readonly CoreRow[]): BenchResult[] {
  return core.flatMap((row) => {
    const at1KB = row.bytes <= 2048;
    const ours = row.opsPerSecond.ours;
    return [
      compared(`core ${row.payload}: ours (verify + parse + validate) vs floor`, ours, row.opsPerSecond.floor, TARGETS.oursOverFloor),
      compared(`core ${row.payload}: ours vs standardwebhooks`, ours, row.opsPerSecond.standardwebhooks, TARGETS.oursOverStandardwebhooks),
      compared(`core ${row.payload}: ours vs Stripe constructEvent`, ours, row.opsPerSecond.stripe, at1KB ? TARGETS.oursOverStripe1KB : undefined),
      compared(`core ${row.payload}: ours rejecting a forgery`, row.opsPerSecond.oursForged, ours),
    ];
  });
}

function n8nResults(runs: readonly { setting: N8nSetting; row: N8nRow }[], { connections, seconds }: BenchLoad): BenchResult[] {
  const defaults = runs[0]?.row;
  if (defaults === undefined) return [];
  return runs.flatMap(({ setting, row }) => {
    const label = `n8n, ${setting.name}, ${connections} connections, ${seconds} s: our trigger`;
    const target = <T>(value: T) => (setting.recommended ? value : undefined);
    const rate = (result: { requestsPerSecond: number }) => result.requestsPerSecond;
    const results = [
      compared(`${label}, distinct signed events, dedupe on, vs built-in Webhook node (req/s)`, rate(row.oursAccepted), rate(row.builtinWebhook), target(TARGETS.acceptedOverBuiltin)),
      // n8n refuses these before any node runs: a floor no node reaches, reported without a target.
      compared(`${label}, forged signatures (401) vs n8n refusing an unregistered path (req/s)`, rate(row.oursForged), rate(row.refusedUnregisteredPath)),
      compared(`${label}, forged signatures (401) vs n8n refusing our path for a method it does not take (req/s)`, rate(row.oursForged), rate(row.refusedWrongMethod)),
      compared(`${label}, forged signatures (401) vs n8n's Webhook node refusing a request without its header auth (403) (req/s)`, rate(row.oursForged), rate(row.builtinRefusingHeaderAuth)),
      compared(`${label}, forged signatures (401) vs n8n's Webhook node refusing a caller outside its IP allowlist (403), the cheapest refusal a node makes (req/s)`, rate(row.oursForged), rate(row.builtinRefusingIpAllowlist), target(TARGETS.forgedOverCheapestNodeRefusal)),
      compared(`${label}, forged signatures vs distinct signed events accepted (req/s)`, rate(row.oursForged), rate(row.oursAccepted)),
      compared(`${label}, one body repeated with dedupe off (the earlier bench's figure) vs distinct events, dedupe on (req/s)`, rate(row.oursRepeatedBodyDedupeOff), rate(row.oursAccepted)),
    ];
    if (row === defaults) return results;
    const effect = `n8n, ${setting.name} vs n8n's defaults`;
    return [
      ...results,
      compared(`${effect}: built-in Webhook node (req/s)`, rate(row.builtinWebhook), rate(defaults.builtinWebhook)),
      compared(`${effect}: our trigger, distinct signed events (req/s)`, rate(row.oursAccepted), rate(defaults.oursAccepted)),
      compared(`${effect}: our trigger, forged signatures (req/s)`, rate(row.oursForged), rate(defaults.oursForged)),
    ];
  });
}

function startupResults(row: StartupRow | undefined): BenchResult[] {
  if (row === undefined) return [];
  const label = `n8n start-up with ${row.triggers} published workflows of each kind`;
  return (['converc', 'convo'] as const).flatMap((vendor) => [
    compared(`${label}: seconds until every ${vendor} trigger answers vs every built-in Webhook node`, row[vendor].secondsUntilAllAnswer, row.builtin.secondsUntilAllAnswer),
    // One listing per trigger made start-up grow with the square of the triggers (each lists them all).
    measuredOnly(`${label}: ${vendor} API calls per trigger`, (row[vendor].vendorApiCalls ?? 0) / row.triggers, TARGETS.startupCallsPerTrigger),
  ]);
}

function queueResults(scale: Record<string, Throughput>, connections: number): BenchResult[] {
  const single = scale.single;
  if (single === undefined) return [];
  const label = `n8n queue mode (main, 2 webhook processors, 1 worker; PostgreSQL, Redis; ${describeSettings(WEBHOOK_VOLUME_SETTINGS)})`;
  return (
    [
      ['balanced', 'through nginx'],
      ['direct', 'each processor loaded directly'],
    ] as const
  ).flatMap(([key, how]) => {
    const row = scale[key];
    if (row === undefined) return [];
    return [
      compared(`${label}, ${how}, ${connections} connections: accepted deliveries/s vs single process`, row.acceptedPerSecond, single.acceptedPerSecond),
      compared(`${label}, ${how}: executions finished/s vs single process`, row.executionsPerSecond, single.executionsPerSecond),
    ];
  });
}

async function main() {
  const run = currentRun();
  const machine = { ...run, node: process.version, loadAverageAtStart: loadavg() };
  console.log(`Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, load average ${machine.loadAverageAtStart.map((value) => value.toFixed(2)).join(' ')}`);
  const core = PARTS.has('core') ? benchCore() : [];
  const load: BenchLoad = { connections: Number(process.env.BENCH_CONCURRENCY ?? 10), seconds: Number(process.env.BENCH_SECONDS ?? 12) };
  const runs: { setting: N8nSetting; row: N8nRow }[] = [];
  const scale: Record<string, Throughput> = {};
  if (PARTS.has('n8n')) {
    for (const setting of SETTINGS) {
      const stack = await startStack({ n8nPort: harnessPort(5712), name: 'bench', n8nEnv: setting.env });
      try {
        console.log(`Measuring n8n, ${setting.name}`);
        runs.push({ setting, row: await benchN8n(stack, load) });
        // Queue mode runs with the recommended settings: its single-process baseline does too.
        if (setting.recommended && PARTS.has('queue')) scale.single = await throughput(stack, (url) => [url], { ...load, name: 'single process' });
      } finally {
        await stack.stop();
      }
    }
  }
  if (PARTS.has('queue') && scale.single !== undefined) {
    const queue = await startQueueStack({ basePort: harnessPort(5740), name: 'bench-queue' });
    try {
      scale.balanced = await throughput(queue, (url) => [url], { ...load, name: 'queue mode, balanced' });
      const direct = (url: string) => queue.processors.map((processor) => url.replace(queue.webhookBase, processor.url));
      scale.direct = await throughput(queue, direct, { ...load, name: 'queue mode, processors loaded directly' });
    } finally {
      await queue.stop();
    }
  }

  let startup: StartupRow | undefined;
  if (PARTS.has('startup')) {
    const stack = await startStack({ n8nPort: harnessPort(5712), name: 'bench-startup', n8nEnv: WEBHOOK_VOLUME_SETTINGS });
    try {
      console.log(`Measuring n8n's start-up with ${STARTUP_TRIGGERS} published workflows of each kind`);
      startup = await benchStartup(stack, STARTUP_TRIGGERS);
    } finally {
      await stack.stop();
    }
  }

  const pkg = packageFigures();
  const results = [
    ...coreResults(core),
    ...n8nResults(runs, load),
    ...queueResults(scale, load.connections),
    ...startupResults(startup),
    measuredOnly('package: packed tarball, the largest of the five (KB)', pkg.tarballKB, TARGETS.tarballKB),
    measuredOnly('package: runtime dependencies, the most of the five', pkg.runtimeDependencies, TARGETS.runtimeDependencies),
  ];
  const table = resultsTable(results);
  const loadAverageAtEnd = loadavg();
  console.log(`\n${table}\n\nLoad average at the end: ${loadAverageAtEnd.map((value) => value.toFixed(2)).join(' ')}`);
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = join(ARTIFACTS_DIR, 'bench.json');
  const n8n = Object.fromEntries(runs.map(({ setting, row }) => [setting.name, { env: setting.env, ...row }]));
  writeFileSync(file, `${JSON.stringify({ machine: { ...machine, loadAverageAtEnd }, load, results, core, n8n, scale, startup, package: pkg, table }, null, 2)}\n`);
  console.log(`Written to ${file} and ${writeResultsPage(RESULTS_PAGES.bench, measuredPage(RESULTS_PAGES.bench, run, table))}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
