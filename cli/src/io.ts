import { readFile } from 'node:fs/promises';

/** The body to work on: a file's bytes, or standard input's. */
export async function readBody(file: string | undefined): Promise<Buffer> {
  if (file !== undefined) return readFile(file);
  if (process.stdin.isTTY) throw new UsageError('Give the body with --file F or on standard input.');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A mistake in how the command was called: shown with a pointer to the command's help. */
export class UsageError extends Error {}

/** The command could not do its job for a reason outside the call (no simulator, unknown delivery): exit 1. */
export class Failure extends Error {}

export const out = (text: string) => process.stdout.write(`${text}\n`);
export const err = (text: string) => process.stderr.write(`${text}\n`);

/** Why a request failed, down to the socket's reason (fetch wraps ECONNREFUSED in its cause). */
export const errorReason = (error: unknown): string =>
  error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
