// n8n's own community-package scan, run offline: on the source checkout with the patterns
// n8n's gate uses, and on the extracted `npm pack` tarball. Its network steps (registry
// metadata, provenance, download) are the only ones skipped.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzePackage, SOURCE_FILE_PATTERNS } from '@n8n/scan-community-package/scanner/scanner.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(join(tmpdir(), 'convhooks-scan-'));
try {
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  execFileSync('tar', ['xzf', join(work, packed.filename), '-C', work]);
  const results = [
    ['source', await analyzePackage(root, SOURCE_FILE_PATTERNS)],
    ['tarball', await analyzePackage(join(work, 'package'), ['**/*.js', 'package.json'])],
  ];
  for (const [what, result] of results) {
    console.log(`${what}: ${result.passed ? 'passed' : `FAILED: ${result.message}`}`);
    if (result.details) console.log(result.details);
  }
  process.exitCode = results.every(([, result]) => result.passed) ? 0 : 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
