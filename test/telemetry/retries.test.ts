/**
 * Retried tries in traces (SPEC §11): a client span with
 * `http.request.resend_count` ≥ 1 is a later try of a call, which a scenario
 * makes from its retry config, not from its workload. Its calls stay out of
 * the paths, the calls per request and the arrivals; their spans still count
 * in their services' figures. In every format that carries the attribute.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { importTraces, readSpans, type Span } from '../../sim/telemetry/index.js';
import { otlpScan } from '../../sim/telemetry/otlp.js';
import { scanOtlpLine } from '../../sim/telemetry/otlp-scan.js';
import { toJaeger, toOtlp, toZipkin } from './convert.js';
import { heavyTailRetries, recordAndImport } from './record-import.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'meshtune-retries-'));

/**
 * 100 requests, one a second: api's server span calls db through a client
 * span. In every fifth request db fails the first try (after 30 ms) and api
 * tries again through a second client span (resend count 1), which succeeds.
 * With `retriedRoot`, one more trace whose root is itself a client's second try.
 */
function mesh(retriedRoot: boolean): Span[] {
  const spans: Span[] = [];
  const span = (trace: string, id: string, parent: string, service: string, start: number, end: number, error = false): Span => ({
    traceId: trace, spanId: id, parentId: parent, service, instance: '', startMs: start, endMs: end, error, bytes: -1, where: `x:${trace}`,
  });
  for (let i = 0; i < 100; i++) {
    const t = i * 1000;
    const trace = `${(i + 1).toString(16).padStart(32, '0')}`;
    const retried = i % 5 === 0;
    const end = retried ? t + 80 : t + 40;
    spans.push(span(trace, '00000000000000a1', '', 'api', t, end));
    spans.push(span(trace, '00000000000000a2', '00000000000000a1', 'api', t + 2, t + 35, retried));
    spans.push(span(trace, '00000000000000b1', '00000000000000a2', 'db', t + 3, t + 33, retried));
    if (retried) {
      spans.push({ ...span(trace, '00000000000000a3', '00000000000000a1', 'api', t + 40, t + 75), resend: 1 });
      spans.push(span(trace, '00000000000000b2', '00000000000000a3', 'db', t + 41, t + 73));
    }
  }
  if (retriedRoot) {
    const trace = 'f'.repeat(32);
    spans.push({ ...span(trace, '00000000000000c1', '', 'api', 50_500, 50_540), resend: 2 });
    spans.push(span(trace, '00000000000000c2', '00000000000000c1', 'db', 50_505, 50_530));
  }
  return spans;
}

const formats = [
  ['otlp', 'mesh.json', toOtlp],
  ['zipkin', 'mesh.zipkin.json', toZipkin],
  ['jaeger', 'mesh.jaeger.json', toJaeger],
] as const;

for (const [format, name, write] of formats) {
  test(`${format}: a retried call is one call of one path, its spans still in db's figures`, () => {
    const file = path.join(tmp, `${format}-${name}`);
    writeFileSync(file, write(mesh(true)));
    const { inferred: m } = importTraces(format, [file], { name: 'x' });
    // 100 requests on one path, api → db, whatever their tries; the second try sent as a trace of its own is not one.
    assert.is(m.traces, 100);
    assert.equal(m.paths.map((p) => [p.services, p.traces]), [[['api', 'db'], 100]]);
    const edge = m.edges.find((e) => e.from === 'api' && e.to === 'db')!;
    assert.is(edge.calls, 100);
    assert.is(edge.fanout, 1);
    // db served 100 first tries, 20 second tries and the lone retried root's call: 121 spans, 20 of them failed.
    const db = m.roles.find((r) => r.name === 'db')!;
    assert.is(db.spans, 121);
    assert.is(db.errors, 20);
    // The second tries answered: no request failed, though 20 spans are in error.
    assert.is(m.errorRate, 0);
    assert.ok(m.notInferred.some((l) => l.startsWith('21 retried tries (http.request.resend_count ≥ 1; 1 of them sent as traces of their own)')), m.notInferred.join('\n'));
  });
}

test('otlp as JSON Lines (the byte scanner): the same as the whole document', () => {
  const spans = mesh(false);
  const byTrace = new Map<string, Span[]>();
  for (const s of spans) byTrace.set(s.traceId, [...(byTrace.get(s.traceId) ?? []), s]);
  const lines = path.join(tmp, 'mesh.jsonl');
  writeFileSync(lines, [...byTrace.values()].map((list) => toOtlp(list)).join('\n') + '\n');
  const whole = path.join(tmp, 'whole.json');
  writeFileSync(whole, toOtlp(spans));
  // Every line is the scanner's, and it reads the counts the plain path reads.
  for (const line of readFileSync(lines, 'utf8').trim().split('\n')) {
    const buf = Buffer.from(line);
    assert.ok(scanOtlpLine(buf, 0, buf.length) >= 0, 'a line left to the plain path');
  }
  const scanned = readSpans('otlp', [lines]).spans;
  otlpScan.on = false;
  try {
    assert.equal(readSpans('otlp', [lines]).spans, scanned);
  } finally {
    otlpScan.on = true;
  }
  assert.is(scanned.filter((s) => s.resend === 1).length, 20);
  const a = importTraces('otlp', [lines], { name: 'x' });
  const b = importTraces('otlp', [whole], { name: 'x' });
  assert.equal(a.inferred.paths.map((p) => p.services), [['api', 'db']]);
  assert.is(a.inferred.roles.find((r) => r.name === 'db')!.spans, 120);
  // The scenarios differ only in the file they name.
  assert.equal(a.yaml.replaceAll('mesh.jsonl', 'whole.json'), b.yaml);
});

test('a retried call whose last try fails too: the request failed', () => {
  // The same mesh, the second tries of db failing as well (and the api span with them).
  const spans = mesh(false).map((x) => (x.service === 'db' && x.spanId === '00000000000000b2' ? { ...x, error: true } : x));
  const file = path.join(tmp, 'both-failed.json');
  writeFileSync(file, toOtlp(spans));
  const { inferred: m } = importTraces('otlp', [file], { name: 'x' });
  assert.is(m.errorRate, 0.2);
});

test('without resend counts the second try is a second call: what the count changes', () => {
  const file = path.join(tmp, 'plain.json');
  writeFileSync(file, toOtlp(mesh(false).map(({ resend: _resend, ...s }) => s)));
  const { inferred: m } = importTraces('otlp', [file], { name: 'x' });
  const edge = m.edges.find((e) => e.from === 'api' && e.to === 'db')!;
  assert.is(edge.calls, 120);
  assert.ok(m.paths.length > 1 || m.paths[0]!.services.length > 2, JSON.stringify(m.paths));
  assert.not.ok(m.notInferred.some((l) => l.includes('retried tries')));
});

/** A scenario named `name` (its other lines as given), written to this file's folder, run with every span recorded and imported. */
function recordAndImportScenario(name: string, lines: readonly string[]) {
  const file = path.join(tmp, `${name}.yaml`);
  writeFileSync(file, [`name: ${name}`, ...lines].join('\n'));
  return recordAndImport(file, name);
}

test('a run with retries, recorded and imported: each request once, its retries said so', () => {
  // db fails a fifth of its services; the client retries the request end to end.
  const { spans: rec, run, imported } = recordAndImportScenario('retrying', [
    'duration: 10s',
    'warmup: 1s',
    'seed: 3',
    'roles:',
    '  api: {count: 2, workers: 4, service: {dist: exp, mean: 2ms}}',
    '  db: {count: 2, workers: 4, service: {dist: exp, mean: 3ms}, errors: 0.2}',
    'workload:',
    '  - {pattern: poisson, to: api, then: [db], rate: 200/s, reply: {size: 1KB}}',
    'config:',
    '  retry: {maxAttempts: 3, base: 5ms}',
  ]);
  const retriedRoots = Array.from(rec.resend.subarray(0, rec.count)).filter((n) => n > 0).length;
  assert.ok(run.retries > 100 && retriedRoots > 100, `${run.retries} retries, ${retriedRoots} retried roots`);
  const m = imported.inferred;
  assert.is(m.traces, run.messages.generated);
  assert.ok(m.notInferred.some((l) => l.startsWith(`${retriedRoots} retried tries`)), m.notInferred.join('\n'));
});

test('tries given up by timeout: their late spans hang from their own try, and the import sees one path', () => {
  // api hands each message on to db; one of four db replicas is 30× slower
  // from 1 s on, and the client gives a try up after 100 ms. The abandoned
  // try's db span ends long after the retry's spans (or never, in the run).
  const { spans: rec, run, imported } = recordAndImportScenario('abandoned', [
    'duration: 6s',
    'warmup: 500ms',
    'seed: 5',
    'roles:',
    '  api: {count: 2, workers: 8, service: {dist: exp, mean: 1ms}}',
    '  db: {count: 4, workers: 2, service: {dist: exp, mean: 8ms}}',
    'workload:',
    '  - {pattern: poisson, to: api, then: [db], rate: 150/s, reply: {size: 1KB}}',
    'faults:',
    '  - {kind: slow, target: db, count: 1, factor: 30, at: 1s, for: 4s}',
    'config:',
    '  routing: {balancer: round-robin}',
    '  timeout: {perTry: 100ms}',
    '  retry: {maxAttempts: 3, base: 1ms}',
  ]);
  assert.ok(run.retries > 50, `${run.retries} retries`);
  // Every span hangs from the stage before its own (api's span from the client, db's from an api span that ended first).
  let lateChildren = 0;
  for (let i = 0; i < rec.count; i++) {
    const p = rec.parent[i]!;
    if (rec.stage[i] === 0) {
      assert.is(p, -1, `span ${i}: api's span is a root`);
      continue;
    }
    assert.ok(p >= 0, `span ${i}: db's span has a parent`);
    assert.is(rec.stage[p], rec.stage[i]! - 1, `span ${i}: its parent is of the stage before`);
    assert.ok(rec.endMs[p]! <= rec.startMs[i]!, `span ${i}: it starts after its parent ends`);
    // A later root of the same message (the retry) started before this span did: the abandoned try's span.
    for (let k = p + 1; k < i; k++) {
      if (rec.seq[k] === rec.seq[i] && rec.entry[k] === rec.entry[i] && rec.parent[k] === -1) {
        lateChildren++;
        break;
      }
    }
  }
  assert.ok(lateChildren > 10, `spans of abandoned tries finishing after the retry began: ${lateChildren}`);
  const m = imported.inferred;
  // One path, api then db: no api-only request (an abandoned try whose db span went to the retry) and no db-only one (a db span whose parent was lost).
  assert.equal(m.paths.map((p) => p.services), [['api', 'db']]);
  // Every api span of a first try hands off to db: the call's probability is 1, the retried tries' spans not counted against it.
  const call = m.edges.find((e) => e.from === 'api' && e.to === 'db')!;
  assert.ok(Math.abs(call.probability - 1) < 1e-9, `api → db: p ${call.probability}`);
  // A request's latency ends with its last try, as its client saw it, not
  // with an abandoned try's db span finishing seconds later (p90 1,987 ms
  // that way, against the run's 110 ms).
  assert.ok(Math.abs(m.latency.p90 / run.latencyMs.p90 - 1) < 0.1, `p90 ${m.latency.p90} in the trace, ${run.latencyMs.p90} in the run`);
  // Its latencies are the answered requests', as the run's are the delivered
  // messages': the lost ones' time to fail (p99 841 ms when counted, against
  // the run's 217 ms) is not latency.
  assert.ok(Math.abs(m.latency.p99 / run.latencyMs.p99 - 1) < 0.1, `p99 ${m.latency.p99} in the trace, ${run.latencyMs.p99} in the run`);
  // The requests whose last try failed are the messages the run lost.
  const lost = Object.values(run.messages.lost).reduce((a, b) => a + b, 0);
  assert.ok(lost > 0);
  assert.ok(Math.abs(m.errorRate - lost / run.messages.generated) < 1e-12, `${m.errorRate} against ${lost} of ${run.messages.generated}`);
});

test('hedged requests: each copy the client sent is a root, and the stage after hangs from its own copy’s span', () => {
  const { spans: rec, run } = recordAndImportScenario('hedged', [
    'duration: 4s',
    'warmup: 500ms',
    'seed: 2',
    'roles:',
    '  api: {count: 3, workers: 4, service: {dist: lognormal, mean: 6ms, cv: 1.5}}',
    '  db: {count: 2, workers: 4, service: {dist: exp, mean: 2ms}}',
    'workload:',
    '  - {pattern: poisson, to: api, then: [db], rate: 200/s, reply: {size: 1KB}}',
    'config:',
    '  hedge: {after: 5ms}',
  ]);
  assert.ok(run.hedges > 50, `${run.hedges} hedges`);
  const rootsOf = new Map<number, number[]>();
  for (let i = 0; i < rec.count; i++) {
    const p = rec.parent[i]!;
    if (rec.stage[i] === 0) {
      assert.is(p, -1, `span ${i}: what the client sent is a root`);
      const key = rec.seq[i]!;
      rootsOf.set(key, [...(rootsOf.get(key) ?? []), rec.resend[i]!]);
    } else {
      assert.is(rec.stage[p], 0, `span ${i}: db's parent is an api span`);
      assert.ok(rec.endMs[p]! <= rec.startMs[i]!, `span ${i}: after its parent`);
    }
  }
  const twice = [...rootsOf.values()].filter((r) => r.length > 1);
  assert.ok(twice.length > 20, `${twice.length} messages with two roots`);
  for (const r of twice) assert.equal(r, r.map((_, k) => k), 'resend counts 0, 1, … in the order written');
});


test('a retried request draws its service anew at every stage, not only at the first', () => {
  // api hands each message on to db, whose service has a heavy tail; the
  // client gives a try up after 20 ms and sends it again. Each try is a new
  // execution at db too: a slow draw there is not repeated by the retry.
  const file = heavyTailRetries(tmp, 'redraw', '8s', 9);
  const { spans: rec, run } = recordAndImport(file, 'redraw');
  assert.ok(run.retries > 50, `${run.retries} retries`);
  // db's service durations of each message, by try (db spans in recording order).
  const dbTimes = new Map<string, number[]>();
  for (let i = 0; i < rec.count; i++) {
    if (rec.stage[i] !== 1) continue;
    const key = `${rec.entry[i]}:${rec.seq[i]}`;
    const list = dbTimes.get(key) ?? [];
    list.push(rec.endMs[i]! - rec.startMs[i]!);
    dbTimes.set(key, list);
  }
  let retried = 0;
  let repeated = 0;
  for (const times of dbTimes.values()) {
    if (times.length < 2) continue;
    retried++;
    if (times.every((t) => t === times[0])) repeated++;
  }
  assert.ok(retried > 50, `${retried} messages served at db more than once`);
  assert.is(repeated, 0, `${repeated} of ${retried} messages served at db again took exactly the same time there`);
});

test('errors the traced clients retried: the import says the scenario it writes loses each one, with both shares', () => {
  const { imported } = recordAndImportScenario('erring', [
    'duration: 8s',
    'warmup: 500ms',
    'seed: 12',
    'roles:',
    '  api: {count: 2, workers: 16, service: {dist: exp, mean: 1ms}}',
    '  db: {count: 4, workers: 16, service: {dist: exp, mean: 5ms}, errors: 0.05}',
    'workload:',
    '  - {pattern: poisson, to: api, then: [db], rate: 200/s, reply: {size: 1KB}}',
    'config:',
    '  retry: {maxAttempts: 3, base: 1ms}',
  ]);
  const m = imported.inferred;
  assert.ok(m.errorRate < 0.005, `traced requests failed: ${m.errorRate}`);
  const line = m.notInferred.find((l) => l.startsWith('errors: the roles\' errors are written per try'));
  assert.ok(line !== undefined, m.notInferred.join('\n'));
  // db's own errors, about 5% a try, written with no retry: about 5% of requests lost.
  const lost = Number(/about ([\d.]+)% of them end to end/.exec(line!)![1]);
  assert.ok(Math.abs(lost - 5) < 1.5, line);
});

test.run();
