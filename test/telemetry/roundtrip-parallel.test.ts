/**
 * Round trip with a parallel group and a role with errors: a scenario's run
 * recorded as spans (`simulate --spans`), imported, and the imported scenario
 * run again and checked for fidelity against the spans.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import { simulate } from '../../sim/api/simulate.js';
import { loadScenario } from '../../sim/scenario/index.js';
import { fidelity } from '../../sim/telemetry/fidelity.js';
import { toAlibaba, toJaeger, toZipkin } from './convert.js';
import { otherFormats, recordAndImport } from './record-import.js';

const SCENARIO = path.join(process.cwd(), 'test', 'fixtures', 'telemetry', 'parallel.yaml');
const original = loadScenario(SCENARIO);
const { tmp, spans, run, file, imported, yamlFile, sc } = recordAndImport(SCENARIO, 'roundtrip-parallel');

test('the group comes back exactly: one entry, the roles in the same stages and branches', () => {
  assert.equal(
    sc.workload.map((w) => [w.to, w.then, w.parallel]),
    original.workload.map((w) => [w.to, w.then, w.parallel]),
  );
  assert.equal(imported.inferred.paths.map((p) => p.stages), [['api', [['cache', 'store'], ['db']], 'render']]);
  assert.equal(sc.roles.map((r) => r.name).sort(), ['api', 'cache', 'db', 'render', 'store']);
  // db is often done before cache, so store often began after every other branch had ended: those
  // requests could be read with store after the group, and are counted on the reading most take.
  const reread = imported.inferred.notInferred.find((l) => /could be read more than one way/.test(l));
  assert.ok(reread !== undefined && Number(/^(\d+) requests/.exec(reread)![1]) > 100, reread);
});

test('store\'s error rate within two standard errors of 0.05; the other roles have none', () => {
  const store = imported.inferred.roles.find((r) => r.name === 'store')!;
  const se = Math.sqrt((0.05 * 0.95) / store.spans);
  assert.ok(Math.abs(store.ownErrorRate - 0.05) < 2 * se, `${store.ownErrorRate} over ${store.spans} spans (se ${se})`);
  assert.is(sc.roles.find((r) => r.name === 'store')!.errors, Number(store.ownErrorRate.toPrecision(5)));
  for (const r of sc.roles) if (r.name !== 'store') assert.is(r.errors, 0, r.name);
  // The requests store stopped had their own, shorter path: set aside, their traffic on the one written path.
  assert.ok(imported.inferred.notInferred.some((l) => /stopped at an error/.test(l)), imported.inferred.notInferred.join('\n'));
});

test('the imported scenario simulates to the original end-to-end p50 and p90 within 5%', () => {
  const again = simulate(yamlFile);
  for (const q of ['p50', 'p90'] as const) {
    assert.ok(Math.abs(again.latencyMs[q] / run.latencyMs[q] - 1) < 0.05, `${q}: ${again.latencyMs[q]} vs ${run.latencyMs[q]}`);
  }
});

test('fidelity of the imported scenario against the spans passes at 10%', () => {
  const r = fidelity(sc, 'otlp', [file], { config: sc.config, seed: sc.seed, tolerance: 0.1 });
  assert.ok(r.pass, JSON.stringify(r.rows.map((x) => [x.name, x.delta, x.judged, x.pass])));
  assert.equal(r.rows.map((x) => x.name), ['end to end', 'api', 'cache', 'db', 'render', 'store']);
  // Own-error rates compare on one basis: the model's store fails as the trace's did.
  const store = r.rows.find((x) => x.name === 'store')!;
  const se = Math.sqrt((0.05 * 0.95) / store.trace!.n);
  assert.ok(Math.abs(store.model!.errorRate - store.trace!.errorRate) < 3 * se * Math.SQRT2, `${store.model!.errorRate} vs ${store.trace!.errorRate}`);
  for (const x of r.rows.filter((x) => x.kind === 'service' && x.name !== 'store')) assert.is(x.model!.errorRate, 0, x.name);
});

test('Zipkin and Jaeger copies of the run give the same paths and own errors; Alibaba\'s most taken path is the group', () => {
  // The first 1,000 requests of the run (retries aside, one trace each).
  const { subset, want, importAs: model } = otherFormats(tmp, file);
  const group = ['api', [['cache', 'store'], ['db']], 'render'];
  assert.equal(want.paths.map((p) => p.stages), [group]);
  for (const [format, m] of [['zipkin', model('zipkin', toZipkin(subset))], ['jaeger', model('jaeger', toJaeger(subset))]] as const) {
    assert.equal(m.paths.map((p) => [p.stages, p.traces]), want.paths.map((p) => [p.stages, p.traces]), format);
    assert.equal(m.roles.map((r) => [r.name, r.ownErrors, r.spans]), want.roles.map((r) => [r.name, r.ownErrors, r.spans]), format);
  }
  // Alibaba keeps calls, not the entry's span: api's is made from its first call's start to its last call's end,
  // so its hand-offs to cache and db look like nested calls, one after the other when they do not overlap; and
  // with no status column the requests store stopped are not told apart. The group is still the most taken path.
  const ali = model('alibaba', toAlibaba(subset));
  assert.equal(ali.paths[0]!.stages, group);
  assert.ok(ali.paths[0]!.share > 0.5, `${ali.paths[0]!.share}`);
});

test.run();
