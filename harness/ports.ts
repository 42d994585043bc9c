/**
 * Every fixed port the harness listens on goes through here, shifted by
 * `CONVHOOKS_PORT_OFFSET`: two checkouts on one machine can then run their suites (or
 * `npm start`) at the same time without one n8n answering the other's requests.
 */
export const PORT_OFFSET_VARIABLE = 'CONVHOOKS_PORT_OFFSET';

function portOffset(): number {
  const raw = process.env[PORT_OFFSET_VARIABLE];
  if (raw === undefined || raw.trim() === '') return 0;
  const offset = Number(raw);
  if (!Number.isInteger(offset)) throw new Error(`${PORT_OFFSET_VARIABLE} must be a whole number of ports to add to every harness port, not "${raw}"`);
  return offset;
}

/** `base` plus the offset; refuses a result outside the unprivileged port range. */
export function harnessPort(base: number): number {
  const port = base + portOffset();
  if (port < 1024 || port > 65535) throw new Error(`${PORT_OFFSET_VARIABLE}=${process.env[PORT_OFFSET_VARIABLE]} moves port ${base} to ${port}, outside 1024–65535`);
  return port;
}
