export interface Command {
  readonly summary: string;
  readonly help: string;
  run(args: readonly string[]): Promise<number>;
}

/**
 * Exit codes: 0 done; 1 the check or the delivery said no (invalid signature, non-2xx answer,
 * no simulator); 2 bad body; 64 bad usage (as sysexits' EX_USAGE).
 */
export const EXIT = { ok: 0, rejected: 1, badBody: 2, usage: 64 } as const;
