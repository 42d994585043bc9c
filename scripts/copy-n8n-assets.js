// n8n loads node icons and codex files from beside the compiled nodes; tsc copies neither.
const { cpSync, readdirSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const ASSET = /\.(svg|node\.json)$/;

for (const dir of readdirSync(join(root, 'nodes'), { withFileTypes: true })) {
  if (!dir.isDirectory()) continue;
  for (const file of readdirSync(join(root, 'nodes', dir.name)).filter((name) => ASSET.test(name))) {
    cpSync(join(root, 'nodes', dir.name, file), join(root, 'dist', 'nodes', dir.name, file));
  }
}
