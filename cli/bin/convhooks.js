#!/usr/bin/env node
// The CLI runs from its TypeScript sources, so it works straight after `npm install`.
require('tsx/cjs/api').register();
// A reader that stops early (`convhooks events | head`) is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
require('../src/main.ts')
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
