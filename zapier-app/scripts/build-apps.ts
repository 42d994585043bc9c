/**
 * Builds every vendor's Zapier app with the Zapier CLI's own commands, offline as far as the
 * CLI allows: `validate --without-style` (the local schema check) and `build --skip-validation`
 * (which skips only the style check on Zapier's servers; dependencies come from the npm
 * registry). Each app's build/build.zip and build/source.zip are what `zapier-platform upload`
 * would send. Run: `npx tsx zapier-app/scripts/build-apps.ts [vendor …]`.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { VENDOR_IDS } from '../../shared/vendors';

const run = promisify(execFile);

const ZAPIER_APP = resolve(__dirname, '..');
const CLI = resolve(ZAPIER_APP, '../node_modules/zapier-platform-cli/src/bin/run');
/** The CLI refuses anything older than the Node that Zapier's Lambda runs, which is 22. */
const NODE_VERSION = '22.22.0';
const RUNTIME = join(ZAPIER_APP, '.runtime');
const NODE_PACKAGE = `node-${process.platform}-${process.arch}`;
const NODE_BIN = join(RUNTIME, 'node_modules', NODE_PACKAGE, 'bin', 'node');

/** Node 22 from the npm registry, installed once beside the apps (git-ignored). */
export async function zapierNode(): Promise<string> {
  if (!existsSync(NODE_BIN)) {
    await run('npm', ['install', '--prefix', RUNTIME, '--no-save', '--ignore-scripts', '--no-audit', '--no-fund', `${NODE_PACKAGE}@${NODE_VERSION}`]);
  }
  return NODE_BIN;
}

export interface AppBuild {
  readonly vendor: string;
  readonly output: string;
  readonly zips: readonly string[];
}

export async function buildApp(vendor: string): Promise<AppBuild> {
  const node = await zapierNode();
  const cwd = join(ZAPIER_APP, 'apps', vendor);
  // npm, the `_zapier-build` script and the CLI's build test all run under Zapier's Node.
  const env = { ...process.env, PATH: `${dirname(node)}:${process.env.PATH ?? ''}`, DISABLE_ZAPIER_ANALYTICS: '1', FORCE_COLOR: '0' };
  const options = { cwd, env, maxBuffer: 16 * 1024 * 1024 };
  const validated = await run(node, [CLI, 'validate', '--without-style'], options);
  const built = await run(node, [CLI, 'build', '--skip-validation'], options);
  return {
    vendor,
    output: `${validated.stdout}${built.stdout}`,
    zips: ['build.zip', 'source.zip'].map((name) => join(cwd, 'build', name)).filter((path) => existsSync(path)),
  };
}

if (require.main === module) {
  const wanted = process.argv.slice(2);
  const vendors = wanted.length > 0 ? wanted : VENDOR_IDS;
  (async () => {
    for (const vendor of vendors) {
      const { output, zips } = await buildApp(vendor);
      console.log(`── ${vendor}\n${output.trim()}\n${zips.join('\n')}`);
    }
  })().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
