// `npm run n8n:install [source folder…]`: installs the pinned n8n runtimes on first use (the
// default one, n8n-runtime/, when none is named), so the test run shows the download as its
// own step instead of inside a test's timeout.
import { RUNTIMES, type Runtime } from './paths';
import { ensureRuntime } from './runtime';

async function main(names: string[]): Promise<void> {
  const runtimes: Runtime[] = (names.length > 0 ? names : ['n8n-runtime']).map((name) => {
    const runtime = RUNTIMES[name];
    if (!runtime) throw new Error(`No n8n runtime "${name}"; the runtimes are ${Object.keys(RUNTIMES).join(', ')}`);
    return runtime;
  });
  for (const runtime of runtimes) {
    await ensureRuntime(console.log, runtime);
    console.log(`n8n ${runtime.version} runtime ready.`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
