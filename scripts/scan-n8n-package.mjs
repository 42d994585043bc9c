// n8n's own community-package scan, run offline on each package under packages/: on the
// source folder with the patterns n8n's gate uses, and on the extracted `npm pack` tarball,
// which alone reaches the core the package compiles in. Its network steps (registry metadata,
// provenance, download) are the only ones skipped. Arguments name packages; none means all.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzePackage, SOURCE_FILE_PATTERNS } from '@n8n/scan-community-package/scanner/scanner.mjs';

const packagesDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'packages');
const names = process.argv.length > 2 ? process.argv.slice(2) : readdirSync(packagesDir).filter((name) => name.startsWith('n8n-nodes-'));
let failed = false;
for (const name of names) {
  const folder = join(packagesDir, name);
  const work = mkdtempSync(join(tmpdir(), 'convhooks-scan-'));
  try {
    const [packed] = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: folder, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    execFileSync('tar', ['xzf', join(work, packed.filename), '-C', work]);
    const results = [
      ['source', await analyzePackage(folder, SOURCE_FILE_PATTERNS)],
      ['tarball', await analyzePackage(join(work, 'package'), ['**/*.js', 'package.json'])],
    ];
    for (const [what, result] of results) {
      console.log(`${name} ${what}: ${result.passed ? 'passed' : `FAILED: ${result.message}`}`);
      if (result.details) console.log(result.details);
      failed ||= !result.passed;
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
process.exitCode = failed ? 1 : 0;
