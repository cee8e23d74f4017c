import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkTrace, newTraceRow, openTrace } from '../../sim/workload/traces/index.js';
import { splitCsvLine } from '../../sim/workload/traces/csv-split.js';
import { MESH_COUNTS, MESH_ROLES, fixture, readAll, tempFile, traceSpec } from './trace-spec.js';

/** The rows both mesh fixtures hold (mesh.csv and mesh.jsonl say the same thing). */
const MESH_ROWS = [
  { timeMs: 0, src: 'external', dst: 'coordinator', bytes: 4000, kind: 'request', priority: 3, cls: -1, tokensIn: -1, tokensOut: -1 },
  { timeMs: 12.5, src: 'external', dst: 'coordinator#1', bytes: 2500, kind: 'oneway', priority: -1, cls: -1, tokensIn: -1, tokensOut: -1 },
  { timeMs: 12.5, src: 'coordinator#0', dst: 'worker#2', bytes: 800, kind: '', priority: 7, cls: -1, tokensIn: 1500, tokensOut: 300 },
  { timeMs: 100, src: 'worker', dst: 'reviewer', bytes: 1200, kind: 'request', priority: 0, cls: -1, tokensIn: 10, tokensOut: 20 },
];

const withoutLine = <T extends { line: number }>(rows: T[]) => rows.map(({ line: _line, ...rest }) => rest);

test('csv: columns in any order, optional ones, quoted fields, blank lines', () => {
  const rows = readAll(traceSpec(fixture('traces', 'mesh.csv'), 'csv'));
  assert.equal(withoutLine(rows), MESH_ROWS);
  assert.equal(
    rows.map((r) => r.line),
    [2, 3, 5, 6],
  );
});

test('jsonl: same fields, numbers as text or numbers, null = not given, CRLF and blank lines', () => {
  const rows = readAll(traceSpec(fixture('traces', 'mesh.jsonl'), 'jsonl'));
  assert.equal(withoutLine(rows), MESH_ROWS);
  assert.equal(
    rows.map((r) => r.line),
    [1, 2, 4, 5],
  );
});

test('speedup divides the gaps', () => {
  for (const format of ['csv', 'jsonl'] as const) {
    const rows = readAll(traceSpec(fixture('traces', `mesh.${format}`), format, { speedup: 2 }));
    assert.equal(
      rows.map((r) => r.timeMs),
      [0, 6.25, 6.25, 50],
    );
    const slow = readAll(traceSpec(fixture('traces', `mesh.${format}`), format, { speedup: 0.5 }));
    assert.equal(
      slow.map((r) => r.timeMs),
      [0, 25, 25, 200],
    );
  }
});

test('the minimal csv: required columns only; optional fields not given', () => {
  const file = tempFile('minimal.csv', 'time_ms,src,dst,bytes\n5,external,worker,10\n7,worker#0,reviewer#0,0');
  const rows = readAll(traceSpec(file, 'csv'));
  assert.equal(withoutLine(rows), [
    { timeMs: 0, src: 'external', dst: 'worker', bytes: 10, kind: '', priority: -1, cls: -1, tokensIn: -1, tokensOut: -1 },
    { timeMs: 2, src: 'worker#0', dst: 'reviewer#0', bytes: 0, kind: '', priority: -1, cls: -1, tokensIn: -1, tokensOut: -1 },
  ]);
});

test('an empty src is the entry\'s from; an empty dst is the entry\'s to (when it has one)', () => {
  const file = tempFile('defaults.csv', 'time_ms,src,dst,bytes\n0,,,10\n');
  const [row] = readAll(traceSpec(file, 'csv', { from: 'coordinator', to: 'worker' }));
  assert.is(row?.src, 'coordinator');
  assert.is(row?.dst, '');
});

test('the row is reused: next fills the same object', () => {
  const cursor = openTrace(traceSpec(fixture('traces', 'mesh.csv'), 'csv'), MESH_ROLES, MESH_COUNTS);
  const row = newTraceRow();
  assert.ok(cursor.next(row));
  assert.is(row.bytes, 4000);
  assert.ok(cursor.next(row));
  assert.is(row.bytes, 2500);
  cursor.close();
  assert.is(cursor.next(row), false);
  cursor.close();
});

test('checkTrace counts rows and the span; an empty file and a header-only file have 0 rows and say so', () => {
  const full = checkTrace(traceSpec(fixture('traces', 'mesh.csv'), 'csv', { speedup: 4 }), MESH_ROLES, MESH_COUNTS);
  assert.equal(full, { rows: 4, spanMs: 25, warning: null });
  for (const [name, text, format] of [
    ['empty.csv', '', 'csv'],
    ['header.csv', 'time_ms,src,dst,bytes\n', 'csv'],
    ['empty.jsonl', '\n\n', 'jsonl'],
    ['header.azure.csv', 'TIMESTAMP,ContextTokens,GeneratedTokens\n', 'azure-llm'],
    ['empty.otlp.json', '', 'otlp'],
    ['none.otlp.json', '{"resourceSpans": []}', 'otlp'],
  ] as const) {
    const sum = checkTrace(traceSpec(tempFile(name, text), format, { to: 'worker' }), MESH_ROLES, MESH_COUNTS);
    assert.is(sum.rows, 0, name);
    assert.is(sum.spanMs, 0, name);
    assert.match(sum.warning ?? '', /no rows/, name);
  }
});

test('csv line splitting: plain, quoted with commas and doubled quotes, empty fields, spaces trimmed', () => {
  const out: string[] = [];
  assert.is(splitCsvLine('a,b,c', out), 3);
  assert.equal(out.slice(0, 3), ['a', 'b', 'c']);
  assert.is(splitCsvLine(' x , "y, z" ,"say ""hi""",', out), 4);
  assert.equal(out.slice(0, 4), ['x', 'y, z', 'say "hi"', '']);
  assert.is(splitCsvLine('', out), 1);
  assert.equal(out.slice(0, 1), ['']);
  assert.is(splitCsvLine('"open,b', out), -1);
  assert.is(splitCsvLine('"a"b,c', out), -1);
});

test('a line longer than the read buffer, and a file without a final newline', () => {
  const note = 'n'.repeat(3 << 20); // 3 MiB: longer than the 1 MiB chunk
  const file = tempFile('long.csv', `time_ms,src,dst,bytes,note\n1,external,worker,5,${note}\n2,external,worker,6,x`);
  const rows = readAll(traceSpec(file, 'csv'));
  assert.equal(
    rows.map((r) => [r.timeMs, r.bytes, r.line]),
    [
      [0, 5, 2],
      [1, 6, 3],
    ],
  );
});

test.run();
