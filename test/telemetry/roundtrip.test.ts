import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { simulate } from '../../sim/api/simulate.js';
import { SpanRecorder } from '../../sim/metrics/spans.js';
import { importTraces } from '../../sim/telemetry/index.js';
import { toAlibaba, toJaeger, toZipkin } from './convert.js';
import { otherFormats, recordAndImport } from './record-import.js';
import { otlpLines } from '../../sim/telemetry/otlp-write.js';

const SCENARIO = path.join(process.cwd(), 'test', 'fixtures', 'telemetry', 'roundtrip.yaml');
// One run recorded, imported, and the imported scenario run again (about 5,700 requests each).
const { tmp, spans, run: original, file, imported, yamlFile, sc } = recordAndImport(SCENARIO, 'roundtrip');

test('spans: one per stage served, every measured message, parents linking the stages', () => {
  // 200/s × [api, auth, db] + 100/s × [api, db]: 3 + 2 spans per message of each path.
  assert.is(imported.inferred.traces, original.messages.generated);
  assert.is(spans.count, 3 * 3797 + 2 * 1884);
  assert.is(imported.diagnostics.lines().length, 0);
});

test('roles, replicas and the call graph come back exactly', () => {
  assert.equal(
    sc.roles.map((r) => [r.name, r.count]),
    [['api', 2], ['auth', 1], ['db', 2]],
  );
  assert.equal(
    sc.workload.map((w) => [w.to, ...w.then]),
    [['api', 'auth', 'db'], ['api', 'db']],
  );
  assert.equal(
    imported.inferred.edges.map((e) => `${e.from}→${e.to}`),
    ['api→auth', 'api→db', 'auth→db'],
  );
});

test('each role\'s mean service time within 5%, and its family recognised', () => {
  // Means over 3,800–5,700 draws with CV ≤ 0.8: standard error ≤ 1.3%, so 5% is four of them.
  const want: Record<string, [number, string]> = { api: [2, 'lognormal'], auth: [1, 'exp'], db: [3, 'weibull'] };
  for (const r of imported.inferred.roles) {
    const [mean, family] = want[r.name]!;
    const spec = sc.roles.find((x) => x.name === r.name)!.service as { mean: number };
    assert.ok(Math.abs(spec.mean / mean - 1) < 0.05, `${r.name}: ${spec.mean} vs ${mean}`);
    assert.is(r.own.chosen, family, r.name);
  }
});

test('arrival rate: within 1% of the run\'s realised rate, and of the scenario\'s 300/s within three standard errors', () => {
  const rate = imported.inferred.arrivals.ratePerSec;
  const realised = original.messages.generated / 19; // measured window: warm-up 1 s to 20 s
  assert.ok(Math.abs(rate / realised - 1) < 0.01, `${rate} vs ${realised}`);
  // Poisson count over 19 s at 300/s: relative standard error 1/√5700 ≈ 1.3%.
  assert.ok(Math.abs(rate / 300 - 1) < 3 / Math.sqrt(5700), `${rate}`);
  assert.is(imported.inferred.arrivals.mmpp, null);
});

test('the imported scenario simulates to the original end-to-end p50 and p90 within 5%', () => {
  const again = simulate(yamlFile);
  for (const q of ['p50', 'p90'] as const) {
    assert.ok(Math.abs(again.latencyMs[q] / original.latencyMs[q] - 1) < 0.05, `${q}: ${again.latencyMs[q]} vs ${original.latencyMs[q]}`);
  }
});

test('Zipkin, Jaeger and Alibaba copies of the run give the same roles, paths and fits', () => {
  // The first 1,000 requests of the run: enough to fit, a fifth of the cost.
  const { subset, want, importAs: model } = otherFormats(tmp, file);
  for (const [format, m] of [['zipkin', model('zipkin', toZipkin(subset))], ['jaeger', model('jaeger', toJaeger(subset))]] as const) {
    assert.equal(m.paths.map((p) => p.services), want.paths.map((p) => p.services), format);
    assert.equal(m.roles.map((r) => [r.name, r.count, r.own.chosen]), want.roles.map((r) => [r.name, r.count, r.own.chosen]), format);
    for (const [i, r] of m.roles.entries()) assert.ok(Math.abs(r.own.mean / want.roles[i]!.own.mean - 1) < 1e-3, `${format} ${r.name}`);
    assert.ok(Math.abs(m.arrivals.ratePerSec / want.arrivals.ratePerSec - 1) < 1e-3, format);
  }
  // Alibaba keeps calls, not the entry's own span: api's own time is only what lies between its
  // calls (0 in a hand-off chain), so it is not compared; the callees' own times and the paths are.
  const ali = model('alibaba', toAlibaba(subset));
  assert.equal(ali.paths.map((p) => p.services), want.paths.map((p) => p.services));
  for (const name of ['auth', 'db']) {
    const a = ali.roles.find((r) => r.name === name)!;
    const w = want.roles.find((r) => r.name === name)!;
    assert.ok(Math.abs(a.own.mean / w.own.mean - 1) < 1e-3, name);
    assert.is(a.own.chosen, w.own.chosen, name);
  }
});

test('sampling keeps whole messages: about the rate\'s share, every kept trace complete', () => {
  const half = new SpanRecorder(0.5, 0);
  simulate(SCENARIO, { spans: half });
  const f = path.join(tmp, 'half.otlp.json');
  writeFileSync(f, [...otlpLines(half, 7)].join('\n'));
  const r = importTraces('otlp', [f]);
  const share = r.inferred.traces / original.messages.generated;
  assert.ok(Math.abs(share - 0.5) < 0.03, `kept ${share}`);
  assert.is(r.diagnostics.counts.orphan, 0);
  // Read as they are, the sampled traces give half the rate, and the import says the rates are the traced ones.
  assert.ok(Math.abs(r.inferred.arrivals.ratePerSec / 300 - 0.5) < 0.05, `rate ${r.inferred.arrivals.ratePerSec}/s`);
  assert.ok(r.inferred.notInferred.some((l) => l.includes('give it with --sample-rate')));
  // Told the share, the import writes the mesh's rate: within 5% of the 300/s the run sent.
  const told = importTraces('otlp', [f], { sampleRate: 0.5 });
  assert.ok(Math.abs(told.inferred.arrivals.ratePerSec / 300 - 1) < 0.05, `rate ${told.inferred.arrivals.ratePerSec}/s`);
  assert.match(told.yaml, /the traces hold 50\.0% of the requests \(--sample-rate 0\.5\)/);
  const rates = [...told.yaml.matchAll(/^ {4}rate: ([\d.]+)/gm)].map((x) => Number(x[1]));
  assert.ok(Math.abs(rates.reduce((a, b) => a + b, 0) / 300 - 1) < 0.05, `rates written ${rates.join(', ')}`);
});

test.run();
