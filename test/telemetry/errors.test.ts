/**
 * Error and timeout rates from span status (SPEC §11.2): per format what marks
 * a failed span, and timeouts as error spans piled up at a common ceiling of
 * duration — inferred only when they are, listed as not inferred otherwise.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { derive, Diagnostics, importTraces, readSpans, type Span } from '../../sim/telemetry/index.js';
import { infer } from '../../sim/telemetry/infer.js';
import { scenarioYaml } from '../../sim/telemetry/yaml.js';
import { rng } from './draws.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'meshtune-errors-'));

/**
 * 100 requests: api (root) calls db. db fails in the requests given by `fail`,
 * lasting `failMs(i)`; otherwise db lasts 20–200 ms and api 10 ms more.
 */
function mesh(fail: (i: number) => boolean, failMs: (i: number) => number): Span[] {
  const u = rng(7);
  const spans: Span[] = [];
  for (let i = 0; i < 100; i++) {
    const t = i * 1000;
    const db = fail(i) ? failMs(i) : 20 + 180 * u();
    const base = { traceId: `t${i}`, instance: '', bytes: -1, where: `x:${i}` };
    spans.push({ ...base, spanId: 'a', parentId: '', service: 'api', startMs: t, endMs: t + db + 10, error: false });
    spans.push({ ...base, spanId: 'b', parentId: 'a', service: 'db', startMs: t + 5, endMs: t + 5 + db, error: fail(i) });
  }
  return spans;
}

const inferred = (spans: Span[]) => infer(derive(spans, new Diagnostics()), null);

test('timeouts: error spans at the longest duration, a common ceiling, are told apart from other errors', () => {
  // 20 failures: 12 cut at the 250 ms ceiling, 8 failing fast (5–16 ms); no success lasts over 200 ms.
  const m = inferred(mesh((i) => i % 5 === 0, (i) => (i % 25 === 0 || i % 10 === 0 ? 250 : 5 + (i % 12))));
  const db = m.roles.find((r) => r.name === 'db')!;
  assert.is(db.errors, 20);
  assert.is(db.errorRate, 0.2);
  // i % 5 === 0 and (i % 25 === 0 or i % 10 === 0): 0, 10, 20, 25, 30, 40, 50, 60, 70, 75, 80, 90.
  assert.equal(db.timeouts, { count: 12, rate: 0.12, atMs: 250 });
  assert.is(m.roles.find((r) => r.name === 'api')!.errors, 0);
  assert.not.ok(m.notInferred.some((l) => l.startsWith('timeouts of')));
  const yaml = scenarioYaml(m, { format: 'otlp', files: ['x'], name: 'x' });
  assert.match(yaml, /# errors 20\.0%: 20 of 100 spans with status\.code 2 \(ERROR\); of which timeouts 12\.0% of spans: 12 error spans at the 250 ms ceiling/);
});

test('timeouts: errors without a common ceiling are not guessed, and are listed as not inferred', () => {
  // 20 failures spread over 30–220 ms: the longest is one of them, but no pile-up at it.
  const m = inferred(mesh((i) => i % 5 === 0, (i) => 30 + i * 2));
  const db = m.roles.find((r) => r.name === 'db')!;
  assert.is(db.errorRate, 0.2);
  assert.is(db.timeouts, null);
  assert.ok(m.notInferred.some((l) => /^timeouts of db: .*no common ceiling/.test(l)), m.notInferred.join('\n'));
  assert.match(scenarioYaml(m, { format: 'jaeger', files: ['x'], name: 'x' }), /20 of 100 spans tagged error=true or otel\.status_code=ERROR; timeouts not told apart/);
});

test('errors in one stretch of the trace are said to be a fault, not a steady rate; errors through it are not', () => {
  // 100 requests a second apart; db fails in 25 of them: requests 40–64 (a 25 s stretch of 100 s), or every fourth.
  const burst = inferred(mesh((i) => i >= 40 && i < 65, () => 30));
  const line = burst.notInferred.find((l) => l.startsWith('roles.db.errors:'));
  assert.ok(line !== undefined, burst.notInferred.join('\n'));
  // 90% of 25 (23 of them) within 22 s: from request 40 to 62 (times from the first request, 5 ms into it).
  assert.match(line!, /^roles\.db\.errors: 90% of its 25 own errors fall between 40 and 62 s of the trace's 100 s: a fault more than a steady rate/);
  const steady = inferred(mesh((i) => i % 4 === 0, () => 30));
  assert.not.ok(steady.notInferred.some((l) => l.startsWith('roles.db.errors:')), steady.notInferred.join('\n'));
});

test('timeouts: fewer than five at the ceiling is not a ceiling', () => {
  const m = inferred(mesh((i) => i % 5 === 0, (i) => (i < 20 && i % 10 === 0 ? 250 : 30 + (i % 7))));
  assert.is(m.roles.find((r) => r.name === 'db')!.timeouts, null);
});

test('error status per format: OTLP status code 2 or STATUS_CODE_ERROR, Jaeger error tag, Zipkin error tag', () => {
  const otlpSpan = (id: string, status: unknown) => ({
    traceId: 'aa', spanId: id, startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000000001000000', ...(status === undefined ? {} : { status }),
  });
  const otlp = path.join(tmp, 'status.otlp.jsonl');
  const spans = [otlpSpan('01', { code: 2 }), otlpSpan('02', { code: 'STATUS_CODE_ERROR' }), otlpSpan('03', { code: 1 }), otlpSpan('04', {}), otlpSpan('05', undefined)];
  writeFileSync(otlp, `${JSON.stringify({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 's' } }] }, scopeSpans: [{ spans }] }] })}\n`);
  assert.equal(readSpans('otlp', [otlp]).spans.map((s) => s.error), [true, true, false, false, false]);

  const jaeger = path.join(tmp, 'status.jaeger.json');
  const jspan = (id: string, tags: unknown[]) => ({ traceID: 'aa', spanID: id, startTime: 1, duration: 5, processID: 'p1', tags });
  writeFileSync(jaeger, JSON.stringify({ data: [{ traceID: 'aa', processes: { p1: { serviceName: 's' } }, spans: [
    jspan('01', [{ key: 'error', type: 'bool', value: true }]), jspan('02', [{ key: 'otel.status_code', type: 'string', value: 'ERROR' }]), jspan('03', [{ key: 'error', type: 'bool', value: false }]),
  ] }] }));
  assert.equal(readSpans('jaeger', [jaeger]).spans.map((s) => s.error), [true, true, false]);

  const zipkin = path.join(tmp, 'status.zipkin.json');
  const zspan = (id: string, tags: Record<string, string>) => ({ traceId: 'aa', id, timestamp: 1, duration: 5, localEndpoint: { serviceName: 's' }, tags });
  writeFileSync(zipkin, JSON.stringify([zspan('01', { error: 'timeout' }), zspan('02', { 'http.status_code': '200' })]));
  assert.equal(readSpans('zipkin', [zipkin]).spans.map((s) => s.error), [true, false]);
});

test('Alibaba call graph: no status column, so the YAML says errors are not in the trace', () => {
  const csv = path.join(tmp, 'a.csv');
  writeFileSync(csv, 'timestamp,traceid,rpcid,um,rpctype,dm,interface,rt\n0,T1,0.1,USER,rpc,A,i,10\n0,T1,0.1,USER,rpc,A,i,-8\n');
  const r = importTraces('alibaba', [csv]);
  assert.match(r.yaml, /# errors 0\.0%: not in the trace: the v2021 call graph has no status column/);
});

test.run();
