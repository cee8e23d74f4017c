import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simulate } from '../../sim/api/simulate.js';
import { resolveScenario } from '../../sim/api/inputs.js';
import { SpanRecorder } from '../../sim/metrics/spans.js';
import { errorRatesDiffer, fidelity, ks2, resolves } from '../../sim/telemetry/fidelity.js';
import { fidelityText } from '../../sim/telemetry/fidelity-text.js';
import { otlpLines } from '../../sim/telemetry/otlp-write.js';
import { heavyTailRetries } from './record-import.js';
import { runCli, SOURCE_CLI } from '../cli/cli-process.js';
import { fidelityCommand } from '../../sim/cli/commands/fidelity.js';
import { importForStudy, withFidelity } from '../../sim/cli/commands/optimize-traces.js';
import { optimizeCommand } from '../../sim/cli/commands/optimize.js';

const SCENARIO = path.join(process.cwd(), 'test', 'fixtures', 'telemetry', 'roundtrip.yaml');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'meshtune-fidelity-'));
// The trace: the round-trip scenario's own run, 5 s of it.
const sc = { ...resolveScenario(SCENARIO), duration: 5000 };
const rec = new SpanRecorder(1, 0);
simulate(sc, { spans: rec });
const TRACE = path.join(tmp, 'trace.otlp.json');
writeFileSync(TRACE, [...otlpLines(rec, 7)].join('\n'));

test('ks2: hand-computed two-sample distances', () => {
  assert.is(ks2(Float64Array.of(1, 2, 3), Float64Array.of(1, 2, 3)), 0);
  assert.is(ks2(Float64Array.of(1, 2), Float64Array.of(3, 4)), 1);
  assert.is(ks2(Float64Array.of(1, 2, 3, 4), Float64Array.of(3, 4, 5, 6)), 0.5);
});

test('the scenario against its own run, driven by the trace\'s arrivals: every row within tolerance, KS distances small', () => {
  const r = fidelity(sc, 'otlp', [TRACE], { config: sc.config, seed: sc.seed, tolerance: 0.1 });
  assert.ok(r.pass);
  assert.equal(r.rows.map((x) => x.name), ['end to end', 'api', 'auth', 'db']);
  // The replay shifts the draws (a request's random streams follow its place in the replay), so D is sampling noise, not 0.
  for (const row of r.rows) assert.ok(row.ks! < 0.05, `${row.name}: D ${row.ks}`);
  const traces = r.rows[0]!.trace!.n;
  assert.match(r.notes[0]!, new RegExp(`driven by the trace's own arrivals: ${traces} root requests replayed at their start times over 2 workload entries`));
  assert.match(fidelityText(r), /verdict: within tolerance/);
});

test('the model runs at the trace\'s arrivals, not the scenario\'s rates: a scenario at three times the rate has the trace\'s throughput', () => {
  const busy = { ...sc, workload: sc.workload.map((w) => (w.pattern === 'poisson' ? { ...w, rate: w.rate * 3 } : w)) };
  const r = fidelity(busy, 'otlp', [TRACE], { config: sc.config, seed: sc.seed, tolerance: 0.1 });
  const e2e = r.rows[0]!;
  // Requests in the measured part of the model's window over its length, against the trace's over its own: within 10%, not 3×.
  const ratio = e2e.model!.throughputPerSec / e2e.trace!.throughputPerSec;
  assert.ok(Math.abs(ratio - 1) < 0.1, `throughput model/trace ${ratio}`);
});

test('a slower db is caught: its own time and the end-to-end latency fail, the others pass', () => {
  const slow = { ...sc, roles: sc.roles.map((r) => (r.name === 'db' ? { ...r, service: { dist: 'weibull' as const, mean: 6, shape: 2 } } : r)) };
  // The trace's arrivals and the same seed: only db's change shows.
  const r = fidelity(slow, 'otlp', [TRACE], { config: sc.config, seed: sc.seed, tolerance: 0.1 });
  assert.not.ok(r.pass);
  assert.equal(r.rows.filter((x) => !x.pass).map((x) => x.name), ['end to end', 'db']);
  const db = r.rows.find((x) => x.name === 'db')!;
  assert.ok(db.delta!.p50 > 0.8, `db p50 Δ ${db.delta!.p50}`);
  assert.ok(db.ks! > 0.3);
});

test('CLI: exit 1 past the tolerance, with the table on stdout', () => {
  const slow = path.join(tmp, 'slow.yaml');
  writeFileSync(slow, `name: slow\nduration: 5s\nwarmup: 1s\nseed: 3\nroles:\n  api: {count: 2, workers: 4, service: {dist: lognormal, mean: 4ms, cv: 0.8}}\n  auth: {count: 1, workers: 4, service: {dist: exp, mean: 1ms}}\n  db: {count: 2, workers: 2, service: {dist: weibull, mean: 3ms, shape: 2}}\nlinks: {latency: {dist: exp, mean: 0.3ms}}\nworkload:\n  - {pattern: poisson, to: api, then: [auth, db], rate: 200/s}\n  - {pattern: poisson, to: api, then: [db], rate: 100/s}\n`);
  const r = runCli(SOURCE_CLI, 'fidelity', slow, '--against', 'otlp', TRACE, '--tolerance', '15%');
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stdout, /api \(own time\).*FAIL/);
  assert.match(r.stderr, /outside the tolerance of 15% on end to end, api/);
});

test('bad input: an unknown format, a bad tolerance, no trace file', () => {
  assert.throws(() => fidelityCommand(SCENARIO, [TRACE], { against: 'otel' }), /--against: expected a trace format \(otlp, jaeger, zipkin, alibaba\), got 'otel'/);
  assert.throws(() => fidelityCommand(SCENARIO, [TRACE], { against: 'otlp', tolerance: 'ten' }), /--tolerance: expected a relative difference like 10% or 0\.1, got 'ten'/);
  assert.throws(() => fidelityCommand(SCENARIO, [], { against: 'otlp' }), /expected the trace files after the scenario/);
});

test('optimize --traces: the fidelity table opens the report, the scenario lands in the study folder; bad input is refused', () => {
  const dir = mkdtempSync(path.join(tmp, 'study-'));
  writeFileSync(path.join(dir, 'report.md'), '# Study x\n\nVerdict.\n\n## Why this mode\n\n- because\n');
  const imported = importForStudy('otlp', [TRACE], {});
  assert.match(readFileSync(imported.scenario, 'utf8'), /^# Imported by `meshtune import otlp`/);
  const md = withFidelity(dir, readFileSync(path.join(dir, 'report.md'), 'utf8'), imported);
  const text = readFileSync(path.join(dir, 'report.md'), 'utf8');
  assert.is(md, text);
  assert.ok(text.indexOf('## Fidelity of the imported scenario') < text.indexOf('## Why this mode'));
  assert.match(text, /end to end .* ok/);
  assert.ok(existsSync(path.join(dir, 'scenario.yaml')));
  assert.throws(() => importForStudy('otel', [TRACE], {}), /--traces: expected a trace format/);
  assert.throws(() => importForStudy('otlp', [], {}), /expected the trace files after the mode/);
  assert.throws(() => importForStudy('otlp', [TRACE], { resume: 'x' }), /not with --resume/);
});

test('optimize cost --traces is refused before the import: traces carry no prices', async () => {
  const err = await optimizeCommand('cost', [TRACE], { traces: 'otlp' }).then(
    () => null,
    (e: unknown) => e,
  );
  assert.instance(err, Error);
  assert.match((err as Error).message, /^--traces: cost mode needs prices, which traces do not carry/);
});

test('a scenario that retries, against its own run: a retried try counts in its request on both sides, not as a request of its own', () => {
  const file = heavyTailRetries(tmp, 'retrying', '6s', 4);
  const own = resolveScenario(file);
  const spans = new SpanRecorder(1, 0);
  const run = simulate(own, { spans });
  assert.ok(run.retries > 50, `${run.retries} retries`);
  const trace = path.join(tmp, 'retrying.otlp.json');
  writeFileSync(trace, [...otlpLines(spans, 3)].join('\n'));
  const r = fidelity(own, 'otlp', [trace], { config: own.config, seed: own.seed, tolerance: 0.1 });
  const e2e = r.rows[0]!;
  // The same requests replayed: as many on the model's side as in the trace (its retries are not requests).
  assert.ok(Math.abs(e2e.model!.n / e2e.trace!.n - 1) < 0.02, `requests: model ${e2e.model!.n}, trace ${e2e.trace!.n}`);
  assert.ok(r.pass, fidelityText(r));
});

test('errorRatesDiffer: beyond the tolerance and the noise of the counts, not a handful of errors either way', () => {
  // 0.28% of 11,121 against 5.33% of 11,121: off by 19 times, far beyond the noise.
  assert.ok(errorRatesDiffer({ n: 11121, errorRate: 0.0028 }, { n: 11121, errorRate: 0.0533 }, 0.1));
  // 0.28% against 0.30%: within the tolerance (10% of 0.28%).
  assert.not.ok(errorRatesDiffer({ n: 11121, errorRate: 0.0028 }, { n: 11121, errorRate: 0.003 }, 0.1));
  // 2 errors in 100 against 4 in 100: twice the rate, but z ≈ 0.8, within the noise.
  assert.not.ok(errorRatesDiffer({ n: 100, errorRate: 0.02 }, { n: 100, errorRate: 0.04 }, 0.1));
  // None in the trace, 1% in the model over thousands: off.
  assert.ok(errorRatesDiffer({ n: 5000, errorRate: 0 }, { n: 5000, errorRate: 0.01 }, 0.1));
  assert.not.ok(errorRatesDiffer({ n: 5000, errorRate: 0 }, { n: 5000, errorRate: 0 }, 0.1));
});

test('a model that fails requests its trace answers fails its end-to-end row on the error rate alone', () => {
  // The same mesh, but db's services fail 5% of the time: latencies stay, the errors do not.
  const erring = { ...sc, roles: sc.roles.map((r) => (r.name === 'db' ? { ...r, errors: 0.05 } : r)) };
  const r = fidelity(erring, 'otlp', [TRACE], { config: sc.config, seed: sc.seed, tolerance: 0.1 });
  const e2e = r.rows[0]!;
  assert.ok(Math.abs(e2e.delta!.p50) <= 0.1 && Math.abs(e2e.delta!.p90) <= 0.1, `latencies within tolerance: ${JSON.stringify(e2e.delta)}`);
  assert.not.ok(e2e.pass, `error rates ${e2e.trace!.errorRate} / ${e2e.model!.errorRate}`);
  assert.match(fidelityText(r), /%\s\(off\)\s+FAIL/);
});

test('sampled traces: told the share, the model runs the scenario\'s own load and the trace\'s throughput is scaled up to the mesh\'s', () => {
  const fifth = new SpanRecorder(0.2, 0);
  simulate(sc, { spans: fifth });
  const sampled = path.join(tmp, 'fifth.otlp.json');
  writeFileSync(sampled, [...otlpLines(fifth, 7)].join('\n'));
  const r = fidelity(sc, 'otlp', [sampled], { config: sc.config, seed: sc.seed, tolerance: 0.1, sampleRate: 0.2 });
  const e2e = r.rows[0]!;
  // The model at the scenario's 300/s, the trace's fifth of it shown over 20%: both near 300/s.
  assert.ok(Math.abs(e2e.model!.throughputPerSec / 300 - 1) < 0.1, `model ${e2e.model!.throughputPerSec}/s`);
  assert.ok(Math.abs(e2e.trace!.throughputPerSec / 300 - 1) < 0.1, `trace ${e2e.trace!.throughputPerSec}/s`);
  assert.match(r.notes[0]!, /^the traces hold 20% of the requests: the model runs the scenario's own workload/);
  // A fifth of 5 s holds about 160 auth spans: too few to pin a p50 down to 10%, so that row is shown, not judged.
  const auth = r.rows.find((x) => x.name === 'auth')!;
  assert.ok(auth.trace!.n < 250 && !auth.judged, `auth: n ${auth.trace!.n}, judged ${auth.judged}`);
  // Read as if whole, the same trace replays a fifth of the load.
  const whole = fidelity(sc, 'otlp', [sampled], { config: sc.config, seed: sc.seed, tolerance: 0.1 });
  assert.ok(Math.abs(whole.rows[0]!.model!.throughputPerSec / 60 - 1) < 0.15, `model ${whole.rows[0]!.model!.throughputPerSec}/s`);
});

/**
 * A store whose slowest 4% of calls take 40 ms in the traced mesh and 8 ms in
 * the model: the same body (96 values from 2 to 5 ms), so the p50 and p90
 * agree exactly and only the p99 tells them apart. About 3,300 spans a side,
 * the tail a block of equal values: enough to pin the p99 down.
 */
function tailMesh(tailMs: number): ReturnType<typeof resolveScenario> {
  const body = Array.from({ length: 96 }, (_, k) => Number((2 + (3 * k) / 95).toFixed(3)));
  const file = path.join(tmp, `tail-${tailMs}.yaml`);
  writeFileSync(
    file,
    `name: tail\nduration: 12s\nwarmup: 1s\nseed: 5\nroles:\n  gw: {count: 2, workers: 8, service: {dist: exp, mean: 1ms}}\n` +
      `  store: {count: 2, workers: 4, service: {dist: empirical, values: [${[...body, tailMs, tailMs, tailMs, tailMs].join(', ')}]}}\n` +
      `links: {latency: {dist: exp, mean: 0.2ms}}\nworkload:\n  - {pattern: poisson, to: gw, then: [store], rate: 300/s}\n`,
  );
  return resolveScenario(file);
}

test('a tail the model lacks fails its row on the p99 alone, where both sides pin the p99 down; a 5 s trace\'s p99 is shown, not judged', () => {
  const truth = tailMesh(40);
  const spans = new SpanRecorder(1, 0);
  simulate(truth, { spans });
  const trace = path.join(tmp, 'tail.otlp.json');
  writeFileSync(trace, [...otlpLines(spans, 11)].join('\n'));

  const light = tailMesh(8);
  const r = fidelity(light, 'otlp', [trace], { config: light.config, seed: light.seed, tolerance: 0.1 });
  const store = r.rows.find((x) => x.name === 'store')!;
  assert.ok(store.trace!.n > 3000 && store.model!.n > 3000, `store spans ${store.trace!.n} / ${store.model!.n}`);
  assert.ok(Math.abs(store.delta!.p50) <= 0.1 && Math.abs(store.delta!.p90) <= 0.1, `p50 Δ ${store.delta!.p50}, p90 Δ ${store.delta!.p90}`);
  assert.is(store.trace!.p99, 40);
  assert.is(store.model!.p99, 8);
  assert.ok(store.judged && store.p99Judged);
  assert.not.ok(store.pass);
  assert.not.ok(r.pass);
  // gw's own time is the same exponential on both sides: it passes, its p99 judged or not.
  assert.ok(r.rows.find((x) => x.name === 'gw')!.pass);

  // The traced mesh against its own trace: the p99 is judged and within the tolerance.
  const self = fidelity(truth, 'otlp', [trace], { config: truth.config, seed: truth.seed, tolerance: 0.1 });
  const own = self.rows.find((x) => x.name === 'store')!;
  assert.ok(own.p99Judged && own.pass, `store p99 ${own.trace!.p99} / ${own.model!.p99}`);

  // A 5 s trace of the round-trip mesh (about 1,200 requests) pins the end-to-end p50 and
  // p90 down but not its p99: shown, not judged. (db's light-tailed Weibull pins even its p99 down.)
  const short = fidelity(sc, 'otlp', [TRACE], { config: sc.config, seed: sc.seed, tolerance: 0.1 });
  const e2e = short.rows.find((x) => x.name === 'end to end')!;
  assert.ok(e2e.judged && !e2e.p99Judged);
  assert.ok(short.rows.find((x) => x.name === 'db')!.p99Judged);
  assert.match(fidelityText(short), /\nend to end .*\) not judged .* ok\n/);
  assert.match(fidelityText(r), /tolerance 10% on p50, p90, the error rate, and p99 where both sides pin it down/);
});

test('resolves: a p50 and p90 pinned down to the tolerance by the order statistics, or not', () => {
  let x = 12345;
  const exp = (n: number): Float64Array => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      out[i] = -Math.log((x + 0.5) / 4294967296);
    }
    return out.sort();
  };
  // 150 exponential values: the p50's 95% interval spans about ±25% of it.
  assert.not.ok(resolves(exp(150), 0.1));
  // 5,000: about ±4%.
  assert.ok(resolves(exp(5000), 0.1));
  // A looser tolerance is resolved by fewer.
  assert.ok(resolves(exp(1000), 0.3));
  // A sample all zeros has no relative width: resolved once there are enough values for the ranks.
  assert.ok(resolves(new Float64Array(100), 0.1));
  // The p99 needs far more: about 8,000 exponential values at 10%.
  assert.not.ok(resolves(exp(5000), 0.1, [0.99]));
  assert.ok(resolves(exp(12000), 0.1, [0.99]));
  // Fewer where the tail is one value repeated: 4% of 1,000 values equal.
  const block = exp(1000).map((v, i) => (i >= 960 ? 50 : v));
  assert.ok(resolves(block, 0.1, [0.99]));
});

test.run();
