/**
 * Operations per second of each function, best of several timed rounds after a warm-up. The
 * rounds take turns (one round of each, then again), so a slow spell of the shared, noisy
 * machine falls on every function alike instead of on whichever was being timed.
 */
export function opsPerSecond<K extends string>(
  runs: Readonly<Record<K, () => unknown>>,
  options: { rounds?: number; roundMs?: number } = {},
): Record<K, number> {
  const rounds = options.rounds ?? 10;
  const roundMs = options.roundMs ?? 300;
  const entries = Object.entries(runs) as [K, () => unknown][];
  for (const [, run] of entries) for (let i = 0; i < 200; i += 1) run();
  const best = Object.fromEntries(entries.map(([name]) => [name, 0])) as Record<K, number>;
  for (let round = 0; round < rounds; round += 1) {
    for (const [name, run] of entries) {
      let count = 0;
      const started = performance.now();
      let elapsed = 0;
      while (elapsed < roundMs) {
        for (let i = 0; i < 50; i += 1) run();
        count += 50;
        elapsed = performance.now() - started;
      }
      best[name] = Math.max(best[name], (count * 1000) / elapsed);
    }
  }
  return best;
}
