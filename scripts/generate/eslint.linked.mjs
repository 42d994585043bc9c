// n8n-node lint reads a package's own folder and does not follow its links, so the code every
// package links in (the core and the shared trigger) is linted here with the same configuration.
import { config } from '@n8n/node-cli/eslint';

export default config;
