/** A step that may take minutes: says what it does, then how long it has been at it. */
export async function withProgress<T>(label: string, work: () => Promise<T>, log: (line: string) => void = console.log): Promise<T> {
  const started = Date.now();
  const seconds = () => Math.round((Date.now() - started) / 1000);
  log(`${label}…`);
  const heartbeat = setInterval(() => log(`  ${label}: ${seconds()} s`), 15_000);
  try {
    const result = await work();
    log(`  ${label}: done in ${seconds()} s`);
    return result;
  } finally {
    clearInterval(heartbeat);
  }
}
