/** Operations per second of `run`, best of several timed rounds after a warm-up (the machine is shared and noisy). */
export function opsPerSecond(run: () => unknown, options: { rounds?: number; roundMs?: number } = {}): number {
  const rounds = options.rounds ?? 5;
  const roundMs = options.roundMs ?? 300;
  for (let i = 0; i < 200; i += 1) run();
  let best = 0;
  for (let round = 0; round < rounds; round += 1) {
    let count = 0;
    const started = performance.now();
    let elapsed = 0;
    while (elapsed < roundMs) {
      for (let i = 0; i < 50; i += 1) run();
      count += 50;
      elapsed = performance.now() - started;
    }
    best = Math.max(best, (count * 1000) / elapsed);
  }
  return best;
}
