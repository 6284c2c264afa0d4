// Shared timing helpers for the benchmarks: medians of repeated timed rounds, in one process, so
// ratios compare like with like. Absolute numbers drift between machines and runs; ratios hold.

/** Runs `fn` (which processes `unit` items per call) for ~`ms` per round and returns ns per item (median). */
export function measure(fn, { unit = 1, rounds = 7, ms = 250 } = {}) {
  // Warm up and calibrate the batch size.
  let batch = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) fn();
    const dt = performance.now() - t0;
    if (dt > 20) break;
    batch *= 2;
  }
  const perRound = Math.max(1, Math.round((batch * ms) / 20));
  const samples = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < perRound; i++) fn();
    samples.push(((performance.now() - t0) * 1e6) / (perRound * unit));
  }
  samples.sort((a, b) => a - b);
  return samples[samples.length >> 1];
}

/** Interleaves the measurement of several functions (A B C A B C ...) to spread drift evenly. */
export function compare(fns, options = {}) {
  const results = Object.fromEntries(Object.keys(fns).map((k) => [k, []]));
  const rounds = options.rounds ?? 5;
  for (let r = 0; r < rounds; r++) {
    for (const [name, fn] of Object.entries(fns)) results[name].push(measure(fn, { ...options, rounds: 3 }));
  }
  return Object.fromEntries(
    Object.entries(results).map(([k, v]) => {
      v.sort((a, b) => a - b);
      return [k, v[v.length >> 1]];
    }),
  );
}

export function table(headers, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

export const fmt = (n, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
