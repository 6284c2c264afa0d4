// The worker load run, shared by tests/js/worker.test.mjs and benches/worker.mjs: N calls with a
// registered transfer each, then M callbacks (a share of them redeliveries of the same message)
// sent all at once in a shuffled order. Afterwards every call is checked:
//   - its final phase is the planned outcome;
//   - every distinct message about it was applied exactly once (the delivery log lists each
//     message id once), and every redelivery was answered as a duplicate;
//   - its history is exactly what the package's TransferTracker produces when fed the same
//     notifications in the order the Durable Object applied them (nothing lost, nothing doubled),
//     and moves strictly forward.
import { randomUUID } from 'node:crypto';
import { transferBodies, participantsBody } from './worker-graph.mjs';

/** A small seeded PRNG (mulberry32), so a failing order can be replayed. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle(list, random) {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [list[i], list[j]] = [list[j], list[i]];
  }
  return list;
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

const OUTCOMES = [
  { outcome: 'completed', dialect: 'v1.0' },
  { outcome: 'failed', dialect: 'v1.0' },
  { outcome: 'completed', dialect: 'beta-2018' },
  { outcome: 'failed', dialect: 'beta-2018' },
];

/**
 * Runs the load. `callback(worker, body, { messageId, timeoutMs })`, `transfer(worker, callId, options)` and
 * `getCall(worker, callId)` are the HTTP helpers; `tracker` and `parse` are the package's
 * TransferTracker and parseNotifications (for the replay check). Returns figures and `problems`
 * (empty when every check passed).
 */
export async function runLoad({ worker, callback, transfer, getCall, target, calls = 100, callbacks = 1000, duplicateRate = 0.1, seed = 1, tracker: TransferTracker, parse, timeoutMs = 120_000, restart, restartAfter = Infinity }) {
  const random = rng(seed);
  const run = randomUUID().slice(0, 8);
  const duplicates = Math.round(callbacks * duplicateRate);
  const unique = callbacks - duplicates;
  const perCall = Math.floor(unique / calls);
  if (perCall < 4 || perCall * calls !== unique) throw new Error(`${unique} distinct callbacks do not split evenly over ${calls} calls with at least 4 each`);

  // Plan: each call gets its transfer's notifications plus participant updates (irrelevant to
  // the transfer) up to perCall distinct messages.
  const plan = [];
  const deliveries = [];
  for (let c = 0; c < calls; c++) {
    const { outcome, dialect } = OUTCOMES[c % OUTCOMES.length];
    const callId = `load-${run}-${String(c).padStart(3, '0')}`;
    const bodies = transferBodies(callId, outcome, dialect);
    for (let i = bodies.length; i < perCall; i++) bodies.push(participantsBody(callId, i));
    const messages = bodies.map((body) => ({ callId, body, messageId: randomUUID() }));
    plan.push({ callId, outcome, dialect, messages });
    deliveries.push(...messages);
  }
  const originals = deliveries.slice();
  for (let i = 0; i < duplicates; i++) deliveries.push({ ...originals[Math.floor(random() * originals.length)], duplicate: true });
  shuffle(deliveries, random);

  // Register every transfer first (10 at a time).
  for (let i = 0; i < plan.length; i += 10) {
    const answers = await Promise.all(plan.slice(i, i + 10).map((p) => transfer(worker, p.callId, { transferTarget: target, clientContext: `ctx-${p.callId}`, apiVersion: p.dialect })));
    for (const a of answers) if (a.status !== 202) throw new Error(`transfer answered ${a.status}: ${JSON.stringify(a.body)}`);
  }

  // All callbacks at once. With `restart`, the worker is disposed once `restartAfter` answers
  // have come back (the callbacks in flight then fail) and replaced by `await restart()`; every
  // callback not answered 202 is then delivered again, as Graph redelivers, at most 3 times.
  const latencies = [];
  const statusCounts = {};
  let duplicatesAnswered = 0;
  let current = worker;
  let answered = 0;
  let restarting = null;
  let failures = 0;
  const retry = [];
  const started = performance.now();
  const send = async (d) => {
    const t0 = performance.now();
    let r;
    try {
      r = await callback(current, d.body, { messageId: d.messageId, timeoutMs });
    } catch {
      failures++;
      retry.push(d);
      return;
    }
    latencies.push(performance.now() - t0);
    statusCounts[r.status] = (statusCounts[r.status] ?? 0) + 1;
    if (r.status !== 202) retry.push(d);
    else if (r.body?.duplicate === true) duplicatesAnswered++;
    if (++answered === restartAfter && restart !== undefined) {
      restarting = (async () => {
        const old = current;
        current = { fetch: () => Promise.reject(new Error('restarting')) };
        await old.dispose();
        current = await restart();
      })();
    }
  };
  await Promise.all(deliveries.map(send));
  const elapsedMs = performance.now() - started;
  if (restarting !== null) await restarting;
  for (let round = 0; round < 3 && retry.length > 0; round++) {
    await Promise.all(retry.splice(0).map(send));
  }
  if (retry.length > 0) throw new Error(`${retry.length} callbacks were never acknowledged`);
  latencies.sort((a, b) => a - b);

  // Checks.
  const problems = [];
  const bodyOf = new Map(originals.map((m) => [m.messageId, m.body]));
  for (const p of plan) {
    const { status, body: state } = await getCall(current, p.callId);
    if (status !== 200) {
      problems.push(`${p.callId}: GET answered ${status}`);
      continue;
    }
    if (state.phase !== p.outcome) problems.push(`${p.callId}: phase ${state.phase}, expected ${p.outcome}`);
    const applied = state.deliveries.map((d) => d.messageId);
    const expected = new Set(p.messages.map((m) => m.messageId));
    if (applied.length !== expected.size || !applied.every((id) => expected.has(id)) || new Set(applied).size !== applied.length) {
      problems.push(`${p.callId}: applied ${applied.length} messages (${new Set(applied).size} distinct), expected each of ${expected.size} once`);
    }
    // Replay in the applied order through the package's tracker.
    const replay = new TransferTracker();
    replay.register(p.callId, { clientContext: `ctx-${p.callId}`, now: state.send.at });
    for (const d of state.deliveries) {
      const parsed = parse(bodyOf.get(d.messageId));
      replay.observe(parsed.notifications.filter((n) => n.callId === p.callId), { messageId: d.messageId, now: d.at });
    }
    const expectedHistory = replay.get(p.callId).history;
    replay.free();
    if (JSON.stringify(expectedHistory) !== JSON.stringify(state.history)) {
      problems.push(`${p.callId}: history ${JSON.stringify(state.history)} differs from the replay ${JSON.stringify(expectedHistory)}`);
    }
    const order = ['requested', 'transferring', 'accepted', 'completed'];
    for (let i = 0; i < state.history.length; i++) {
      const t = state.history[i];
      if (i > 0 && t.from !== state.history[i - 1].to) problems.push(`${p.callId}: history not chained at ${i}`);
      if (t.to !== 'failed' && order.indexOf(t.to) <= order.indexOf(t.from)) problems.push(`${p.callId}: history moves back at ${i}: ${t.from} -> ${t.to}`);
    }
  }

  return {
    worker: current,
    restarted: restarting !== null,
    failures,
    calls,
    callbacks: deliveries.length,
    duplicatesSent: duplicates,
    duplicatesAnswered,
    statusCounts,
    elapsedMs,
    throughput: deliveries.length / (elapsedMs / 1000),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1],
    problems,
  };
}
