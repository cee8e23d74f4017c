import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkTrace, openTrace, newTraceRow } from '../../sim/workload/traces/index.js';
import { daysFromCivil, parseTimestamp, type Instant } from '../../sim/workload/traces/timestamp.js';
import { ROOT, readAll, tempFile, traceSpec } from './trace-spec.js';
import path from 'node:path';

const CODE = path.join(ROOT, 'scenarios', 'traces', 'AzureLLMInferenceTrace_code.csv');
const CONV = path.join(ROOT, 'scenarios', 'traces', 'AzureLLMInferenceTrace_conv.csv');
const ROLES = ['llm'];
const COUNTS = [8];
const azure = (file: string, extra = {}) => traceSpec(file, 'azure-llm', { to: 'llm', ...extra });

test('the real code trace: 8,819 rows; the first three by hand', () => {
  const rows = readAll(azure(CODE), ROLES, COUNTS);
  assert.is(rows.length, 8819);
  // 2023-11-16 18:17:03.9799600,4808,10
  // 2023-11-16 18:17:04.0319600,3180,8   -> 04.0319600 - 03.9799600 = 0.0520000 s
  // 2023-11-16 18:17:04.0781490,110,27   -> 04.0781490 - 03.9799600 = 0.0981890 s
  assert.equal(rows.slice(0, 3), [
    { timeMs: 0, src: 'external', dst: 'llm', bytes: 4808 * 4, kind: '', priority: -1, cls: -1, tokensIn: 4808, tokensOut: 10, line: 2 },
    { timeMs: 52, src: 'external', dst: 'llm', bytes: 3180 * 4, kind: '', priority: -1, cls: -1, tokensIn: 3180, tokensOut: 8, line: 3 },
    { timeMs: 98.189, src: 'external', dst: 'llm', bytes: 110 * 4, kind: '', priority: -1, cls: -1, tokensIn: 110, tokensOut: 27, line: 4 },
  ]);
  // last row 2023-11-16 19:14:19.9280160,549,173 -> 57 min 15.9480560 s after the first
  const last = rows[rows.length - 1];
  assert.is(last?.timeMs, 3435948.056);
  assert.is(last?.tokensIn, 549);
  assert.is(last?.tokensOut, 173);
  assert.is(last?.line, 8820);
});

test('the real conversation trace: 19,366 rows, span by hand', () => {
  // first 2023-11-16 18:15:46.6805900, last 2023-11-16 19:14:08.4025270 -> 58 min 21.7219370 s
  assert.equal(checkTrace(azure(CONV), ROLES, COUNTS), { rows: 19366, spanMs: 3501721.937, warning: null });
});

test('bytesPerToken sets the size; speedup divides the gaps', () => {
  const cursor = openTrace(azure(CODE, { bytesPerToken: 3, speedup: 4 }), ROLES, COUNTS);
  const row = newTraceRow();
  const seen: Array<[number, number]> = [];
  for (let i = 0; i < 3 && cursor.next(row); i++) seen.push([row.timeMs, row.bytes]);
  cursor.close();
  assert.equal(seen, [
    [0, 4808 * 3],
    [13, 3180 * 3],
    [98.189 / 4, 110 * 3],
  ]);
});

test('gaps are exact to 100 ns, across seconds, days, months, years and a leap day', () => {
  const file = tempFile(
    'fine.csv',
    [
      'TIMESTAMP,ContextTokens,GeneratedTokens',
      '2023-12-31 23:59:59.9999990,1,1',
      '2023-12-31 23:59:59.9999991,1,1', // +100 ns
      '2024-01-01 00:00:00.0000010,1,1', // +2 µs after the first
      '2024-02-28T23:59:59.5Z,1,1',
      '2024-03-01 00:00:00.5,1,1', // a leap day later: +86401 s after the previous row
    ].join('\n'),
  );
  const t = readAll(azure(file), ROLES, COUNTS).map((r) => r.timeMs);
  assert.is(t[0], 0);
  assert.is(t[1], 0.0001);
  assert.is(t[2], 0.002);
  assert.is((t[4] ?? 0) - (t[3] ?? 0), 86401_000);
  // 2023-12-31 23:59:59.999999 to 2024-02-28 23:59:59.5: 59 days minus 0.499999 s
  assert.is(t[3], 59 * 86400_000 - 499.999);
});

test('timestamps: accepted shapes and rejected ones', () => {
  const at: Instant = { sec: 0, nanos: 0 };
  assert.ok(parseTimestamp('1970-01-01 00:00:00', at));
  assert.equal(at, { sec: 0, nanos: 0 });
  assert.ok(parseTimestamp('2023-11-16 18:17:03.9799600', at));
  assert.equal(at, { sec: Date.UTC(2023, 10, 16, 18, 17, 3) / 1000, nanos: 979960000 });
  assert.ok(parseTimestamp('2000-02-29T12:00:00.123456789Z', at));
  assert.is(at.nanos, 123456789);
  for (const bad of ['', '2023-11-16', '2023-13-01 00:00:00', '2023-02-29 00:00:00', '2023-11-16 24:00:00', '2023-11-16 18:17:03.', '2023-11-16 18:17:03.1234567890', '2023/11/16 18:17:03', '16-11-2023 18:17:03']) {
    assert.not.ok(parseTimestamp(bad, at), bad);
  }
  for (const [y, m, d] of [[1970, 1, 1], [1969, 12, 31], [2000, 2, 29], [2023, 11, 16], [2100, 3, 1]] as const) {
    assert.is(daysFromCivil(y, m, d), Date.UTC(y, m - 1, d) / 86400_000, `${y}-${m}-${d}`);
  }
});

test.run();
