import { join, relative } from 'node:path';
import type { VendorDefinition } from '../../shared/vendor-definition';
import { ROOT } from './layout';

/** A vendor's Zapier CLI app folder: all of it follows from the vendor's definition and zapier-app/src. */

export const zapierAppFolder = (vendor: VendorDefinition) => `zapier-app/apps/${vendor.id}`;

/** The workspace's exact versions of what every app runs with. */
export interface ZapierRuntime {
  readonly 'zapier-platform-core': string;
  readonly zod: string;
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

export function zapierAppFiles(vendor: VendorDefinition, options: { version: string; runtime: ZapierRuntime }): Record<string, string> {
  return {
    'app.ts': `import { ${vendor.id} } from '${relative(join(ROOT, zapierAppFolder(vendor)), join(ROOT, 'shared', 'vendors'))}';
import { zapierApp } from '../../src';
import { version } from './package.json';

export = zapierApp(${vendor.id}, version);
`,
    'index.js': "// The entry Zapier loads; `_zapier-build` bundles app.ts, the core and the generator into dist/.\nmodule.exports = require('./dist/index.js');\n",
    'package.json': json({
      name: `convhooks-zapier-${vendor.id}`,
      version: options.version,
      description: `${vendor.name} instant triggers for Zapier: verified, typed webhook events, generated from the ConvHooks core.`,
      private: true,
      license: 'MIT',
      main: 'index.js',
      scripts: {
        '_zapier-build': 'esbuild app.ts --bundle --platform=node --format=cjs --target=node20 --packages=external --outfile=dist/index.js --log-level=warning',
      },
      dependencies: options.runtime,
    }),
    '.zapierapprc': json({ includeInBuild: ['node_modules/(async-function|async-generator-function|generator-function)/require\\.mjs$'] }),
    '.gitignore': '# Left out of source.zip by `zapier-platform build`, and out of git.\nnode_modules/\ndist/\nbuild/\nzapierwrapper.js\ndefinition.json\n',
  };
}
