/**
 * Parallel calls and own errors (SPEC §11.2): hand-built traces, written in
 * each of the four formats, give the path with its parallel groups (nested
 * calls that overlap, hand-offs of one span, a join hanging from the branch
 * that finished last) or without (calls one after another); errors that
 * started at a service are told from errors passed up from a failed call.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { derive, Diagnostics, readSpans, type Span, type TelemetryFormat } from '../../sim/telemetry/index.js';
import { infer } from '../../sim/telemetry/infer.js';
import { cutPath, parsePathKey, pathKey, pathWorkload, readingsKey, workloadPath, type PathStage } from '../../sim/telemetry/path-key.js';
import { scenarioYaml } from '../../sim/telemetry/yaml.js';
import { loadScenario } from '../../sim/scenario/index.js';
import { toAlibaba, toJaeger, toOtlp, toZipkin } from './convert.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'meshtune-parallel-'));
const T0 = 1_700_000_000_000;
let traces = 0;

/** A trace from [service, parent index (-1: root), start ms, end ms, error?] rows. */
function trace(rows: Array<[string, number, number, number, boolean?]>): Span[] {
  const t = (++traces).toString(16).padStart(32, '0');
  return rows.map(([service, parent, start, end, error], i) => ({
    traceId: t, spanId: (i + 1).toString(16).padStart(16, '0'), parentId: parent < 0 ? '' : (parent + 1).toString(16).padStart(16, '0'),
    service, instance: '', startMs: T0 + start, endMs: T0 + end, error: error ?? false, bytes: -1, where: 'x',
  }));
}

const WRITE: Record<TelemetryFormat, (s: readonly Span[]) => string> = { otlp: toOtlp, jaeger: toJaeger, zipkin: toZipkin, alibaba: toAlibaba };

/** The spans written in `format`, read back and derived. */
function derived(format: TelemetryFormat, spans: Span[]) {
  const file = path.join(tmp, `t${traces}-${Math.random().toString(16).slice(2)}.${format}`);
  writeFileSync(file, WRITE[format](spans));
  const { spans: read, diag } = readSpans(format, [file]);
  return derive(read, diag);
}

/** The one request's path in every format. */
function paths(spans: Span[]): Record<TelemetryFormat, PathStage[]> {
  const out = {} as Record<TelemetryFormat, PathStage[]>;
  for (const f of ['otlp', 'jaeger', 'zipkin', 'alibaba'] as const) {
    const d = derived(f, spans);
    assert.is(d.pathList.length, 1, f);
    out[f] = parsePathKey(d.pathList[0]!);
  }
  return out;
}

const same = (p: PathStage[]): Record<TelemetryFormat, PathStage[]> => ({ otlp: p, jaeger: p, zipkin: p, alibaba: p });

test('nested calls that overlap are a group; a branch is its call\'s subtree; the next call follows the group', () => {
  const spans = trace([
    ['api', -1, 0, 20], ['db', 0, 2, 8], ['cache', 0, 3, 10], ['store', 2, 4, 9], ['render', 0, 12, 18],
  ]);
  assert.equal(paths(spans), same(['api', [['cache', 'store'], ['db']], 'render']));
});

test('nested calls one after another stay a sequence', () => {
  const spans = trace([
    ['api', -1, 0, 20], ['db', 0, 2, 5], ['cache', 0, 6, 9], ['store', 2, 7, 8], ['render', 0, 12, 18],
  ]);
  assert.equal(paths(spans), same(['api', 'db', 'cache', 'store', 'render']));
});

test('hand-offs: the join hangs from the branch that finished last, and is read as the stage after the group', () => {
  // db finishes last: render is db's child.
  const dbLast = trace([
    ['gw', -1, 0, 30], ['api', 0, 0.5, 2], ['db', 1, 3, 8], ['cache', 1, 3, 4], ['store', 3, 5, 7], ['render', 2, 9, 11],
  ]);
  assert.equal(paths(dbLast), same(['gw', 'api', [['cache', 'store'], ['db']], 'render']));
  // store finishes last: render is store's child; store itself started before db ended, so it stays in its branch.
  const storeLast = trace([
    ['gw', -1, 0, 30], ['api', 0, 0.5, 2], ['db', 1, 3, 5.5], ['cache', 1, 3, 4], ['store', 3, 5, 8], ['render', 4, 9, 10],
  ]);
  assert.equal(paths(storeLast), same(['gw', 'api', [['cache', 'store'], ['db']], 'render']));
});

test('hand-offs of one span are parallel even when their spans do not overlap; with nothing after, the group ends the path', () => {
  const spans = trace([['gw', -1, 0, 30], ['api', 0, 0.5, 2], ['db', 1, 3, 4], ['cache', 1, 5, 6]]);
  assert.equal(paths(spans), same(['gw', 'api', [['cache'], ['db']]]));
});

test('a stage of a branch that began after every other branch ended is read as after the group (the trees are the same)', () => {
  // api → {db, [cache, store]} where db ended before store began: the tree a join after {db, cache} would give.
  const spans = trace([['gw', -1, 0, 30], ['api', 0, 0.5, 2], ['db', 1, 3, 3.5], ['cache', 1, 3, 4], ['store', 3, 5, 7]]);
  assert.equal(paths(spans).otlp, ['gw', 'api', [['cache'], ['db']], 'store']);
  // The other reading (store in cache's branch) is kept; when most requests take it, this one is counted there too.
  const whole = (t: number) => trace([['gw', -1, t, t + 30], ['api', 0, t + 0.5, t + 2], ['db', 1, t + 3, t + 6], ['cache', 1, t + 3, t + 4], ['store', 3, t + 5, t + 7]]);
  const d = derive([...spans, ...whole(100), ...whole(200)], new Diagnostics());
  const branchReading = pathKey(['gw', 'api', [['cache', 'store'], ['db']]]);
  assert.equal([...d.readings], [[readingsKey([pathKey(['gw', 'api', [['cache'], ['db']], 'store']), branchReading]), { requests: 1, stopped: 0 }]]);
  const m = infer(d, null);
  assert.equal(m.paths.map((p) => [p.stages, p.traces]), [[['gw', 'api', [['cache', 'store'], ['db']]], 3]]);
  assert.ok(m.notInferred.some((l) => /^1 requests \(33\.3%\) were hand-off joins that could be read more than one way/.test(l)), m.notInferred.join('\n'));
  // Alone, it stays on its first reading.
  assert.equal(infer(derive(spans, new Diagnostics()), null).paths.map((p) => p.stages), [['gw', 'api', [['cache'], ['db']], 'store']]);
});

test('parallel calls inside a branch are serialised, more than eight branches cut; both counted and said', () => {
  const nested = trace([['api', -1, 0, 30], ['db', 0, 2, 20], ['x', 1, 3, 10], ['y', 1, 4, 12], ['cache', 0, 3, 8]]);
  const wide = trace([['api', -1, 100, 130], ...Array.from({ length: 10 }, (_, i): [string, number, number, number] => [`s${i}`, 0, 101 + i, 120])]);
  const d = derive([...nested, ...wide], new Diagnostics());
  assert.equal(d.pathList.map(parsePathKey), [
    ['api', [['cache'], ['db', 'x', 'y']]],
    ['api', Array.from({ length: 8 }, (_, i) => [`s${i}`])],
  ]);
  assert.equal([d.groupedRequests, d.serialisedRequests, d.branchesCutRequests], [2, 1, 1]);
  const m = infer(d, null);
  assert.ok(m.notInferred.some((l) => /^1 requests \(50\.0%\) made more than 8 parallel calls at once/.test(l)), m.notInferred.join('\n'));
  assert.ok(m.notInferred.some((l) => /^1 requests \(50\.0%\) made parallel calls inside a branch/.test(l)));
  assert.is(m.roles.find((r) => r.name === 'api')!.parallelShare, 1);
  assert.is(m.roles.find((r) => r.name === 'db')!.parallelShare, 1);
});

test('the YAML writes a group as {parallel: [...]} (branches sorted), a branch of one role by name and a longer one as a list', () => {
  const spans = trace([
    ['api', -1, 0, 20], ['db', 0, 2, 8], ['cache', 0, 3, 10], ['store', 2, 4, 9], ['render', 0, 12, 18],
  ]);
  const m = infer(derive(spans, new Diagnostics()), null);
  assert.equal(m.paths.map((p) => [p.stages, p.services]), [[['api', [['cache', 'store'], ['db']], 'render'], ['api', 'cache', 'store', 'db', 'render']]]);
  const yaml = scenarioYaml(m, { format: 'otlp', files: ['x'], name: 'x' });
  assert.match(yaml, /\n {4}then: \[\{parallel: \[\[cache, store\], db\]\}, render\] {3}# callees in call order, depth first; calls in parallel as a group\n/);
  assert.not.match(yaml, /not written|not modelled/);
});

test('path keys: a path and its key, its normalised form and its cut at 31 stages go back and forth', () => {
  const p: PathStage[] = ['api', [['cache', 'store'], ['db']], 'render'];
  assert.equal(parsePathKey(pathKey(p)), p);
  assert.equal(pathWorkload(p), { to: 'api', then: ['cache', 'store', 'db', 'render'], parallel: [{ branches: [[0, 1], [2, 2]] }] });
  // Branches start together, in no order: the key is the same in any order of them.
  assert.is(pathKey(['api', [['db'], ['cache', 'store']], 'render']), pathKey(p));
  assert.equal(workloadPath(pathWorkload(p)), p);
  const twoGroups: PathStage[] = ['a', [['b'], ['c']], [['d', 'e'], ['f']]];
  assert.equal(workloadPath(pathWorkload(twoGroups)), twoGroups);
  assert.equal(parsePathKey(pathKey(twoGroups)), twoGroups);
  // A path differing only in grouping has another key.
  assert.is.not(pathKey(['api', 'db', 'cache', 'store', 'render']), pathKey(p));
  assert.is.not(pathKey(['a', [['b', 'c'], ['d']]]), pathKey(['a', [['b'], ['c', 'd']]]));
  // 29 services then a group of 3: the group would make 32, so it is cut whole; a group of 2 fits exactly.
  const chain = Array.from({ length: 29 }, (_, i) => `s${i}`);
  assert.equal(cutPath([...chain, [['x'], ['y', 'z']], 'w']), { path: chain, cut: 4 });
  assert.equal(cutPath([...chain, [['x'], ['y']], 'w']), { path: [...chain, [['x'], ['y']]], cut: 1 });
});

test('own errors: an error span none of whose calls failed; one above a failed call is passed up, not its own', () => {
  // api → db; an internal api span between them folds into api.
  const spans = [
    ...trace([['api', -1, 0, 10, true], ['db', 0, 1, 5, true]]), // db's own; api passes it up
    ...trace([['api', -1, 20, 30, true], ['db', 0, 21, 25]]), // api's own
    ...trace([['api', -1, 40, 50], ['db', 0, 41, 45, true]]), // db's own, api not in error
    ...trace([['api', -1, 60, 70, true], ['api', 0, 61, 66, true], ['db', 1, 62, 65, true]]), // db's own, passed up through api's internal span
    ...trace([['api', -1, 80, 90], ['db', 0, 81, 85]]),
  ];
  for (const f of ['otlp', 'jaeger', 'zipkin'] as const) {
    const d = derived(f, spans);
    const api = d.services.get('api')!;
    const db = d.services.get('db')!;
    assert.equal([api.spans, api.errors, api.ownErrors], [5, 3, 1], f);
    assert.equal([db.spans, db.errors, db.ownErrors], [5, 3, 3], f);
    const m = infer(d, null);
    const yaml = scenarioYaml(m, { format: f, files: ['x'], name: 'x' });
    assert.match(yaml, /\n {2}api:\n {4}count: 1 .*\n {4}workers: .*\n {4}service: .*\n {4}errors: 0\.2 {3}# own errors: n=5, 1 /, f);
    assert.match(yaml, /\n {2}db:\n(?: {4}.*\n){3} {4}errors: 0\.6 {3}# own errors: n=5, 3 /, f);
    assert.match(yaml, /# errors 60\.0%: 3 of 5 .*; 1 its own \(no call of the span failed\), 2 passed up from a failed call/, f);
  }
  // The Alibaba call graph has no status: no errors written.
  const m = infer(derived('alibaba', spans), null);
  assert.not.match(scenarioYaml(m, { format: 'alibaba', files: ['x'], name: 'x' }), /\n {4}errors:/);
});

test('a request an error stopped at a hand-off is cut short: its path is set aside unless requests complete it; nested errors stop nothing', () => {
  const chain = (t: number, error: 'db' | 'render' | null) => trace([
    ['api', -1, t, t + 1], ['db', 0, t + 2, t + 3, error === 'db'], ...(error === 'db' ? [] : [['render', 1, t + 4, t + 5, error === 'render'] as [string, number, number, number, boolean]]),
  ]);
  const spans = [
    ...chain(0, null), ...chain(10, null), ...chain(20, 'render'), // the last stage failed: the path is whole
    ...chain(30, 'db'), // stopped at db: a path no request completed
    ...trace([['api', -1, 40, 50], ['db', 0, 41, 45, true]]), // a nested call failed: api carried on
  ];
  const d = derive(spans, new Diagnostics());
  const stopped = [...d.stoppedPaths].map(([k, n]) => [parsePathKey(k), n]);
  assert.equal(stopped, [[['api', 'db', 'render'], 1], [['api', 'db'], 1]]);
  const m = infer(d, null);
  // [api, db] has one whole request (the nested one), so it is written; the stopped hand-off request is counted on it.
  assert.equal(m.paths.map((p) => [p.stages, p.traces]), [[['api', 'db', 'render'], 3], [['api', 'db'], 2]]);
  // Without the nested request, [api, db] is only the stopped one: set aside, its traffic spread.
  const m2 = infer(derive(spans.filter((s) => s.startMs < T0 + 40), new Diagnostics()), null);
  assert.equal(m2.paths.map((p) => [p.stages, p.traces, p.share]), [[['api', 'db', 'render'], 3, 1]]);
  assert.equal(m2.otherTraces, 1);
  assert.ok(m2.notInferred.some((l) => /^1 requests \(25\.0%\) stopped at an error .* on paths no request completed/.test(l)), m2.notInferred.join('\n'));
  assert.not.ok(m2.notInferred.some((l) => /rarer paths/.test(l)));
});

test('a role whose every span failed is written with errors 1, and loads', () => {
  const spans = trace([['api', -1, 0, 10, true]]);
  const yaml = scenarioYaml(infer(derive(spans, new Diagnostics()), null), { format: 'otlp', files: ['x'], name: 'x' });
  assert.match(yaml, /\n {4}errors: 1 {3}# own errors: n=1, 1 spans with status\.code 2 \(ERROR\) none of whose calls failed\n/);
  const file = path.join(tmp, 'all-fail.yaml');
  writeFileSync(file, yaml);
  assert.is(loadScenario(file).roles[0]!.errors, 1);
});

test.run();
