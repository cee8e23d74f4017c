import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { OTLP_DEFAULT_BYTES, checkTrace } from '../../sim/workload/traces/index.js';
import { ROOT, fixture, inputError, readAll, tempFile, traceSpec } from './trace-spec.js';

const SERVICES = ['gateway', 'planner', 'worker', 'store'];
const COUNTS = [1, 2, 4, 2];
const TWO = fixture('otlp', 'two-traces.json');

test('the reference example: one span, its parent not in the file, so from external', () => {
  const file = path.join(ROOT, 'scenarios', 'traces', 'otlp-example.json');
  const rows = readAll(traceSpec(file, 'otlp'), ['my.service'], [1]);
  assert.equal(rows, [
    { timeMs: 0, src: 'external', dst: 'my.service', bytes: OTLP_DEFAULT_BYTES, kind: 'request', priority: -1, cls: -1, tokensIn: -1, tokensOut: -1, line: 1 },
  ]);
});

test('parent → child: each span is a hand-off from its parent\'s service to its own, sorted by start, ties by span id', () => {
  const rows = readAll(traceSpec(TWO, 'otlp'), SERVICES, COUNTS);
  assert.equal(
    rows.map((r) => [r.timeMs, r.src, r.dst, r.line]),
    [
      [0, 'external', 'gateway', 1],
      [1, 'gateway', 'planner', 3],
      [2, 'external', 'gateway', 2],
      [2.5, 'planner', 'worker', 5], // upper-case ids match their lower-case parent
      [2.5, 'gateway', 'store', 8], // same start: after a…03 by span id
      [3, 'planner', 'worker', 6],
      [4.000001, 'worker', 'store', 7], // written as a bare number beyond 2^53: every digit kept
      [5, 'external', 'planner', 4], // parent not in the file
    ],
  );
  assert.ok(rows.every((r) => r.kind === 'request' && r.priority === -1));
});

test('sizes and tokens from span attributes, 1000 bytes otherwise', () => {
  const rows = readAll(traceSpec(TWO, 'otlp'), SERVICES, COUNTS);
  assert.equal(
    rows.map((r) => [r.bytes, r.tokensIn, r.tokensOut]),
    [
      [1000, -1, -1],
      [1000, -1, -1],
      [1000, -1, -1],
      [1000, 1200, 300],
      [1000, -1, -1],
      [4096, -1, -1],
      [1000, -1, -1],
      [1000, -1, -1],
    ],
  );
});

test('speedup; checkTrace', () => {
  const rows = readAll(traceSpec(TWO, 'otlp', { speedup: 2 }), SERVICES, COUNTS);
  assert.equal(
    rows.map((r) => r.timeMs),
    [0, 0.5, 1, 1.25, 1.25, 1.5, 2.0000005, 2.5],
  );
  assert.equal(checkTrace(traceSpec(TWO, 'otlp'), SERVICES, COUNTS), { rows: 8, spanMs: 5, warning: null });
});

test('the collector file exporter: one document per line', () => {
  // JSON.parse here rounds the bare-number start 1700000000004000001 to ...000; write it back whole
  const doc = JSON.parse(readFileSync(TWO, 'utf8')) as { resourceSpans: unknown[] };
  const lines = doc.resourceSpans
    .map((rs) => JSON.stringify({ resourceSpans: [rs] }))
    .join('\n')
    .replace(':1700000000004000000,', ':1700000000004000001,');
  assert.match(lines, /"startTimeUnixNano":1700000000004000001,/);
  const rows = readAll(traceSpec(tempFile('lines.otlp.jsonl', lines), 'otlp'), SERVICES, COUNTS);
  assert.is(rows.length, 8);
  // bare-number times lose digits only if they reach JSON.parse unquoted; they do not
  assert.is(rows[6]?.timeMs, 4.000001);
  assert.is(rows[1]?.src, 'gateway');
});

test('bad OTLP: unknown service, missing service.name, bad times, duplicate span, not OTLP', () => {
  const doc = readFileSync(TWO, 'utf8');
  const spec = (name: string, text: string) => traceSpec(tempFile(name, text), 'otlp');
  let err = inputError(() => readAll(traceSpec(TWO, 'otlp'), ['gateway', 'planner', 'worker'], [1, 1, 1]));
  assert.is(err.path, 'resourceSpans[3].resource.attributes["service.name"]');
  assert.match(err.detail, /^unknown role 'store'; roles are: gateway, planner, worker$/);

  err = inputError(() => readAll(spec('noservice.json', doc.replace('"service.name"', '"service.version"')), SERVICES, COUNTS));
  assert.is(err.path, 'resourceSpans[0].resource.attributes');
  assert.match(err.detail, /service\.name/);

  err = inputError(() => readAll(spec('badtime.json', doc.replace('"1700000000000000000"', '"17e17"')), SERVICES, COUNTS));
  assert.is(err.path, 'resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano');
  assert.match(err.detail, /Unix nanoseconds.*got '17e17'/);

  err = inputError(() => readAll(spec('backwards.json', doc.replace('"1700000000000500000"', '"1699999999999999999"')), SERVICES, COUNTS));
  assert.is(err.path, 'resourceSpans[0].scopeSpans[0].spans[0].endTimeUnixNano');
  assert.match(err.detail, /end at or after the start/);

  err = inputError(() => readAll(spec('twice.json', doc.replace('"a000000000000004"', '"a000000000000001"')), SERVICES, COUNTS));
  assert.is(err.path, 'resourceSpans[2].scopeSpans[0].spans[1].spanId');
  assert.match(err.detail, /appears twice; first at resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]/);

  err = inputError(() => readAll(spec('notjson.json', '{"resourceSpans": ['), SERVICES, COUNTS));
  assert.is(err.path, '');
  assert.match(err.detail, /^expected OTLP JSON; /);

  err = inputError(() => readAll(spec('nototlp.json', '{"spans": []}'), SERVICES, COUNTS));
  assert.match(err.detail, /^expected an OTLP JSON document: an object with resourceSpans/);

  err = inputError(() => readAll(traceSpec('/no/such/trace.json', 'otlp'), SERVICES, COUNTS));
  assert.match(err.message, /^\/no\/such\/trace\.json: cannot open the trace \(ENOENT\)/);
});

test.run();
