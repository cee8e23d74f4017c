import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compileScenario, simulateRaw } from '../../sim/model/index.js';
import { SpanRecorder } from '../../sim/metrics/spans.js';
import { runScenario } from '../../sim/runner/index.js';
import { scenarioOf } from '../helpers.js';

/**
 * Parallel groups in `then` (SPEC §4): the branches start together and the
 * message goes on when the last of them has finished. Every role has far more
 * slots than its load needs and links cost nothing, so a message's latency is
 * the sum of its stages' service times with each group counting as its
 * longest branch.
 */
/** Equal but for the rounding of absolute times (ms since the start) in floating point. */
const near = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-6, `${actual} against ${expected}`);

const role = (service: unknown) => ({ count: 2, workers: 64, service });

function run(then: unknown[], roles: Record<string, unknown>, extra: Record<string, unknown> = {}, seed = 1) {
  const sc = scenarioOf({
    duration: '60s',
    warmup: '1s',
    roles,
    workload: [{ pattern: 'poisson', to: 'a', rate: '50/s', then, ...extra }],
  });
  return runScenario(sc, { seed });
}

test('constant services: a group takes as long as its longest branch', () => {
  const roles = { a: role('10ms'), b: role('30ms'), c: role('5ms'), d: role('20ms'), e: role('7ms') };
  // 10 + max(30, 5 + 20) + 7
  const m = run([{ parallel: ['b', ['c', 'd']] }, 'e'], roles);
  assert.ok(m.messages.delivered > 2000);
  near(m.latencyMs.p50, 47);
  near(m.latencyMs.max, 47);
  // The branch of two stages is the longer one now: 10 + max(20, 5 + 20) + 7.
  const longer = run([{ parallel: ['d', ['c', 'd']] }, 'e'], { ...roles });
  near(longer.latencyMs.max, 42);
  near(longer.latencyMs.p50, 42);
  // Sequential, the same roles add up: 10 + 30 + 5 + 20 + 7.
  const chain = run(['b', 'c', 'd', 'e'], roles);
  near(chain.latencyMs.max, 72);
});

test('a group at the end: the message is delivered when its last branch finishes', () => {
  const roles = { a: role('10ms'), b: role('30ms'), c: role('5ms') };
  const m = run([{ parallel: ['b', 'c'] }], roles);
  near(m.latencyMs.max, 40);
  assert.is(m.messages.delivered, m.messages.generated);
  // Request–reply: the last branch to finish answers; the reply costs no link time here.
  const rr = run([{ parallel: ['b', 'c'] }], roles, { reply: true });
  near(rr.latencyMs.max, 40);
  assert.is(rr.messages.delivered, rr.messages.generated);
});

test('exponential branches: the mean latency is the mean of the maximum', () => {
  // Two parallel exponential branches of mean 20 ms: E[max] = 20 · (1 + 1/2) = 30 ms
  // (three: 20 · (1 + 1/2 + 1/3) = 36.7 ms), after 10 ms at `a`.
  const roles = { a: role('10ms'), x: role({ dist: 'exp', mean: '20ms' }), y: role({ dist: 'exp', mean: '20ms' }), z: role({ dist: 'exp', mean: '20ms' }) };
  for (const [branches, expected] of [
    [['x', 'y'], 10 + 30],
    [['x', 'y', 'z'], 10 + 20 * (1 + 1 / 2 + 1 / 3)],
  ] as const) {
    const m = run([{ parallel: branches }], roles);
    const n = m.messages.delivered;
    // The maximum's standard deviation is below the sum's (20·√n ms for n branches): 4 standard errors.
    const se = (20 * Math.sqrt(branches.length)) / Math.sqrt(n);
    assert.ok(Math.abs(m.latencyMs.mean - expected) < 4 * se, `${branches.length} branches: mean ${m.latencyMs.mean} against ${expected} ± ${4 * se}`);
  }
});

test('errors: a one-way message survives each erring stage with probability 1 − p', () => {
  const roles = { a: { ...role('1ms'), errors: 0.1 }, b: { ...role('1ms'), errors: 0.2 } };
  const m = run(['b'], roles);
  const g = m.messages.generated;
  const expected = 0.9 * 0.8;
  const ratio = m.messages.delivered / g;
  const se = Math.sqrt((expected * (1 - expected)) / g);
  assert.ok(Math.abs(ratio - expected) < 4 * se, `delivery ${ratio} against ${expected} ± ${4 * se}`);
  assert.is(m.messages.lost.error, g - m.messages.delivered);
  assert.is(m.messages.lost.timeout + m.messages.lost.overflow + m.messages.lost.unfinished, 0);
});

test('errors: request–reply retries an error at once, up to maxAttempts', () => {
  // p = 0.3 at `b`, three tries: lost with probability 0.3³ = 2.7%.
  const roles = { a: role('1ms'), b: { ...role('1ms'), errors: 0.3 } };
  const sc = scenarioOf({
    duration: '120s',
    warmup: '1s',
    roles,
    workload: [{ pattern: 'poisson', to: 'a', then: ['b'], rate: '50/s', reply: true }],
    config: { retry: { maxAttempts: 3, base: '1ms', cap: '1ms' } },
  });
  const m = runScenario(sc, { seed: 3 });
  const g = m.messages.generated;
  const lost = m.messages.lost.error / g;
  const se = Math.sqrt((0.027 * 0.973) / g);
  assert.ok(Math.abs(lost - 0.027) < 4 * se, `lost ${lost} against 0.027 ± ${4 * se}`);
  assert.is(m.messages.delivered + m.messages.lost.error, g);
  // Retries: 0.3 of the first tries and 0.3 of the second: 0.39 per message.
  assert.ok(Math.abs(m.retries / g - 0.39) < 0.03, `retries per message ${m.retries / g}`);
  // An error is answered at once: no try waits for a timeout.
  assert.is(m.messages.lost.timeout, 0);
});

test('errors and groups are deterministic: same seed, same run; another seed, another', () => {
  const roles = { a: { ...role({ dist: 'exp', mean: '5ms' }), errors: 0.05 }, b: role({ dist: 'exp', mean: '5ms' }), c: { ...role('2ms'), errors: 0.1 } };
  const then = [{ parallel: ['b', 'c'] }];
  const one = run(then, roles, {}, 7);
  assert.equal(run(then, roles, {}, 7).messages, one.messages);
  assert.equal(run(then, roles, {}, 7).latencyMs, one.latencyMs);
  assert.not.equal(run(then, roles, {}, 8).messages.lost.error, one.messages.lost.error);
});

test('recorded spans: branches hang from the span before the group, the next stage from the last branch', () => {
  const sc = scenarioOf({
    duration: '2s',
    warmup: '0s',
    roles: { a: role('10ms'), b: role('30ms'), c: role('5ms'), d: role('20ms'), e: role('7ms') },
    workload: [{ pattern: 'poisson', to: 'a', rate: '20/s', then: [{ parallel: ['b', ['c', 'd']] }, 'e'] }],
  });
  const rec = new SpanRecorder(1, 0, false);
  simulateRaw(compileScenario(sc), sc.config, 1, null, undefined, null, rec);
  assert.ok(rec.count >= 5 * 20);
  // Spans of one message: a(0) b(1) c(2) d(3) e(4) by stage.
  let checked = 0;
  for (let i = 0; i < rec.count; i++) {
    if (rec.stage[i] !== 4) continue;
    const byStage = new Map<number, number>();
    for (let k = 0; k < rec.count; k++) if (rec.seq[k] === rec.seq[i] && rec.entry[k] === rec.entry[i]) byStage.set(rec.stage[k]!, k);
    const [a, b, c, d, e] = [0, 1, 2, 3, 4].map((s) => byStage.get(s)!);
    assert.is(rec.parent[a!], -1);
    assert.is(rec.parent[b!], a);
    assert.is(rec.parent[c!], a);
    assert.is(rec.parent[d!], c);
    // b ends at 40 ms, d at 35 ms after the start: e hangs from b.
    assert.is(rec.parent[e!], b);
    assert.is(rec.startMs[b!], rec.endMs[a!]);
    assert.is(rec.startMs[e!], rec.endMs[b!]);
    checked++;
  }
  assert.ok(checked >= 20);
});

test('recorded spans: an error marks the span it happened in, and a retry starts a new root', () => {
  const sc = scenarioOf({
    duration: '20s',
    warmup: '0s',
    roles: { a: role('1ms'), b: { ...role('1ms'), errors: 0.5 } },
    workload: [{ pattern: 'poisson', to: 'a', then: ['b'], rate: '50/s', reply: true }],
    config: { retry: { maxAttempts: 2, base: '1ms', cap: '1ms' } },
  });
  const rec = new SpanRecorder(1, 0, false);
  simulateRaw(compileScenario(sc), sc.config, 1, null, undefined, null, rec);
  let errors = 0;
  let roots = 0;
  for (let i = 0; i < rec.count; i++) {
    if (rec.error[i] === 1) {
      errors++;
      assert.is(rec.stage[i], 1, 'only b errs');
    }
    if (rec.parent[i] === -1) {
      roots++;
      assert.is(rec.stage[i], 0);
    }
  }
  const bSpans = rec.stage.subarray(0, rec.count).filter((s) => s === 1).length;
  assert.ok(Math.abs(errors / bSpans - 0.5) < 0.05, `error share ${errors / bSpans}`);
  // One root per try: every error at b (about half the tries) is followed by a retry, bar the second tries' errors.
  assert.ok(roots > rec.count / 2 - errors && roots < rec.count / 2 + 1, `roots ${roots} of ${rec.count} spans`);
});

test('bad input: groups are checked with the path of the field at fault', () => {
  const roles = { a: role('1ms'), b: role('1ms') };
  const bad = (then: unknown[], extra: Record<string, unknown> = {}) => {
    try {
      scenarioOf({ duration: '1s', roles, workload: [{ pattern: 'poisson', to: 'a', rate: '1/s', then, ...extra }] });
    } catch (e) {
      return (e as Error).message;
    }
    return 'accepted';
  };
  assert.match(bad([{ parallel: ['b'] }]), /workload\[0\]\.then\[0\]\.parallel.*at least 2/);
  assert.match(bad([{ parallel: ['b', ['a', 'nope']] }]), /workload\[0\]\.then\[0\]\.parallel\[1\]\[1\].*nope/);
  assert.match(bad([{ parallel: ['b', 'a'], also: 1 }]), /unknown key 'also'/);
  assert.match(bad([{ parallel: ['b', 'a'] }], { fanout: { count: 2 } }), /workload\[0\]\.fanout.*parallel/);
  assert.match(bad([{ parallel: Array.from({ length: 9 }, () => 'b') }]), /at most 8/);
  assert.match(bad([{ parallel: [Array.from({ length: 20 }, () => 'b'), Array.from({ length: 11 }, () => 'a')] }]), /at most 31 stages/);
  assert.match(bad([42]), /workload\[0\]\.then\[0\].*role name or \{parallel/);
  assert.is(bad([{ parallel: ['b', ['a', 'b']] }, 'a']), 'accepted');
  try {
    scenarioOf({ duration: '1s', roles: { a: { ...role('1ms'), errors: 1.5 } }, workload: [{ pattern: 'poisson', to: 'a', rate: '1/s' }] });
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /roles\.a\.errors/);
  }
});

test.run();
