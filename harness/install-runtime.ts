// `npm run n8n:install`: installs the pinned n8n on first use, so the test run shows the
// download as its own step instead of inside a test's timeout.
import { ensureRuntime } from './runtime';

ensureRuntime().then(
  () => console.log('n8n runtime ready.'),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
