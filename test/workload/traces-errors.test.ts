import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { InputError } from '../../sim/scenario/index.js';
import type { TraceFormat } from '../../sim/scenario/types.js';
import { checkTrace } from '../../sim/workload/traces/index.js';
import { MESH_COUNTS, MESH_ROLES, inputError, tempFile, traceSpec } from './trace-spec.js';

const HEADER = 'time_ms,src,dst,bytes,kind,priority,tokens_in,tokens_out';
const GOOD = '0,external,worker,100,request,1,10,20';

/** The error a trace with `lines` raises in checkTrace. */
function failure(name: string, lines: string[], format: TraceFormat = 'csv', extra = {}): InputError {
  const spec = traceSpec(tempFile(name, lines.join('\n')), format, extra);
  return inputError(() => checkTrace(spec, MESH_ROLES, MESH_COUNTS));
}

/** A csv trace with GOOD rows and `bad` (padded to the header's 8 fields) as data row `row` (file line row + 1). */
function badRow(name: string, bad: string, row = 3): InputError {
  const rows = Array.from({ length: row - 1 }, () => GOOD);
  const padded = bad + ','.repeat(Math.max(0, 7 - bad.split(',').length + 1));
  return failure(name, [HEADER, ...rows, padded, GOOD]);
}

/** One line naming the file, line, row and what was expected. */
function expectError(err: InputError, line: number, where: string, detail: RegExp): void {
  assert.is(err.path, where);
  assert.is(err.line, line);
  assert.match(err.detail, detail);
  assert.is(err.message, `${err.file}:${line}: ${where}: ${err.detail}`);
  assert.match(err.file, /\.(csv|jsonl)$/);
  assert.not.match(err.message, /\n/);
}

test('missing required column: named, with the header found', () => {
  const err = failure('nobytes.csv', ['time_ms,src,dst,size', GOOD]);
  expectError(err, 1, 'header', /^missing required column 'bytes'; expected a header with time_ms,src,dst,bytes \(optional: kind,priority,class,tokens_in,tokens_out\); header found: time_ms,src,dst,size$/);
  const two = failure('noheader.csv', ['', '0,external,worker,100']);
  expectError(two, 2, 'header', /^missing required columns 'time_ms', 'src', 'dst', 'bytes'; .* header found: 0,external,worker,100$/);
  const typo = failure('typo.csv', ['time_ms,src,dst,bytes,tokens_inn']);
  expectError(typo, 1, 'header', /^unknown column 'tokens_inn' \(did you mean 'tokens_in'\?\)/);
  const twice = failure('twice.csv', ['time_ms,src,dst,bytes,BYTES']);
  expectError(twice, 1, 'header', /^column 'bytes' appears twice/);
});

test('unparsable numbers', () => {
  expectError(badRow('time.csv', '1O,external,worker,100'), 4, 'row 3', /^time_ms: expected a time in milliseconds \(a number\); got '1O'$/);
  expectError(badRow('hex.csv', '0x10,external,worker,100'), 4, 'row 3', /^time_ms: expected .*got '0x10'$/);
  expectError(badRow('notime.csv', ',external,worker,100'), 4, 'row 3', /^time_ms: required/);
  expectError(badRow('bytes.csv', '0,external,worker,1KB'), 4, 'row 3', /^bytes: expected a size in bytes >= 0; got '1KB'$/);
  expectError(badRow('tokens.csv', '0,external,worker,1,,,1.5,'), 4, 'row 3', /^tokens_in: expected a whole number of tokens >= 0; got '1\.5'$/);
});

test('negative bytes and tokens', () => {
  expectError(badRow('negbytes.csv', '0,external,worker,-5', 17), 18, 'row 17', /^bytes: expected a size in bytes >= 0; got '-5'$/);
  expectError(badRow('negout.csv', '0,external,worker,5,,,,-1'), 4, 'row 3', /^tokens_out: expected a whole number of tokens >= 0; got '-1'$/);
});

test('unsorted times name the row and both times', () => {
  const err = failure('unsorted.csv', ['time_ms,src,dst,bytes', '100,external,worker,1', '150,external,worker,1', '', '120,external,worker,1']);
  expectError(err, 5, 'row 3', /^time_ms: expected rows in time order; 120 \(this row\) is earlier than 150 \(row 2, line 3\)$/);
  // the first row is the origin, so a later row before it is caught too
  const early = failure('early.csv', ['time_ms,src,dst,bytes', '100,external,worker,1', '99.5,external,worker,1']);
  expectError(early, 3, 'row 2', /^time_ms: expected rows in time order; 99\.5 \(this row\) is earlier than 100 \(row 1, line 2\)/);
});

test('unknown roles and agents list what exists', () => {
  expectError(badRow('src.csv', '0,wrker,worker,1'), 4, 'row 3', /^src: unknown role 'wrker' \(did you mean 'worker'\?\); roles are: coordinator, worker, reviewer$/);
  expectError(badRow('dst.csv', '0,external,external,1'), 4, 'row 3', /^dst: unknown role 'external'; roles are: coordinator, worker, reviewer$/);
  expectError(badRow('agent.csv', '0,external,worker#3,1'), 4, 'row 3', /^dst: unknown agent 'worker#3'; expected worker#i with i a whole number from 0 to 2 \(role worker has 3 agents\)$/);
  expectError(badRow('agentname.csv', '0,external,wrker#0,1'), 4, 'row 3', /^dst: unknown role 'wrker' .*\(in agent name 'wrker#0'\)$/);
  expectError(badRow('agentnum.csv', '0,reviewer#x,worker,1'), 4, 'row 3', /^src: unknown agent 'reviewer#x'; .*from 0 to 0 \(role reviewer has 1 agent\)$/);
  expectError(badRow('nodst.csv', '0,external,,1'), 4, 'row 3', /^dst: required \(the workload entry has no 'to'\)/);
});

test('priority outside 0..7 and unknown kinds', () => {
  expectError(badRow('prio.csv', '0,external,worker,1,,8,,'), 4, 'row 3', /^priority: expected a whole number from 0 to 7; got '8'$/);
  expectError(badRow('prio2.csv', '0,external,worker,1,,-1,,'), 4, 'row 3', /^priority: expected a whole number from 0 to 7; got '-1'$/);
  expectError(badRow('kind.csv', '0,external,worker,1,requets,,,'), 4, 'row 3', /^kind: unknown kind 'requets' \(did you mean 'request'\?\); kinds are: oneway, request \(or leave it empty\)$/);
});

test('a row with the wrong number of fields, an open quote', () => {
  expectError(failure('short.csv', [HEADER, GOOD, '0,external,worker']), 3, 'row 2', /^expected 8 fields as in the header; got 3$/);
  expectError(failure('long.csv', [HEADER, `${GOOD},`]), 2, 'row 1', /^expected 8 fields as in the header; got 9$/);
  expectError(failure('quote.csv', [HEADER, '0,"external,worker,1,,,,']), 2, 'row 1', /quoted field is not closed/);
});

test('jsonl: bad JSON, not an object, typo fields, the same row checks', () => {
  const row = (o: object) => JSON.stringify({ time_ms: 0, src: 'external', dst: 'worker', bytes: 1, ...o });
  const j = (name: string, lines: string[]) => failure(name, lines, 'jsonl');
  expectError(j('syntax.jsonl', [row({}), '{"time_ms": 1,']), 2, 'row 2', /^expected one JSON object per line; /);
  expectError(j('array.jsonl', [row({}), '', '[1, 2]']), 3, 'row 2', /^expected a JSON object like .*; got \[1,2\]$/);
  expectError(j('typo.jsonl', [row({ tokensIn: 5 })]), 1, 'row 1', /^unknown field 'tokensIn' \(did you mean 'tokens_in'\?\)/);
  expectError(j('neg.jsonl', [row({ bytes: -2 })]), 1, 'row 1', /^bytes: expected a size in bytes >= 0; got -2$/);
  expectError(j('type.jsonl', [row({ src: 7 })]), 1, 'row 1', /^src: expected 'external', a role or an agent name \(role#i\); got 7$/);
  expectError(j('missing.jsonl', [JSON.stringify({ time_ms: 0, src: 'external', dst: 'worker' })]), 1, 'row 1', /^bytes: required/);
  expectError(j('order.jsonl', [row({ time_ms: 5 }), row({ time_ms: 4 })]), 2, 'row 2', /^time_ms: expected rows in time order; 4 \(this row\) is earlier than 5 \(row 1, line 1\)$/);
  expectError(j('prio.jsonl', [row({ priority: 2.5 })]), 1, 'row 1', /^priority: expected a whole number from 0 to 7; got 2\.5$/);
});

test('azure-llm: missing column, bad timestamp, negative tokens, unsorted', () => {
  const H = 'TIMESTAMP,ContextTokens,GeneratedTokens';
  const a = (name: string, lines: string[]) => failure(name, lines, 'azure-llm', { to: 'worker' });
  expectError(a('cols.csv', ['TIMESTAMP,ContextTokens']), 1, 'header', /^missing required column 'GeneratedTokens'; expected a header with TIMESTAMP,ContextTokens,GeneratedTokens; header found: TIMESTAMP,ContextTokens$/);
  expectError(a('stamp.csv', [H, '2023-11-16 18:17:03.9799600,1,1', '2023-11-16 25:17:03.9799600,1,1']), 3, 'row 2', /^TIMESTAMP: expected a timestamp like 2023-11-16 18:17:03\.9799600 .*; got '2023-11-16 25:17:03\.9799600'$/);
  expectError(a('neg.csv', [H, '2023-11-16 18:17:03.9799600,-1,1']), 2, 'row 1', /^ContextTokens: expected a whole number of tokens >= 0; got '-1'$/);
  expectError(a('empty.csv', [H, '2023-11-16 18:17:03.9799600,1,']), 2, 'row 1', /^GeneratedTokens: required/);
  expectError(
    a('order.csv', [H, '2023-11-16 18:17:03.9799600,1,1', '2023-11-16 18:17:03.9799599,1,1']),
    3,
    'row 2',
    /^TIMESTAMP: expected rows in time order; 2023-11-16 18:17:03\.9799599 \(this row\) is earlier than 2023-11-16 18:17:03\.9799600 \(row 1, line 2\)$/,
  );
});

test('a file that cannot be read', () => {
  const err = inputError(() => checkTrace(traceSpec('/no/such/trace.csv', 'csv'), MESH_ROLES, MESH_COUNTS));
  assert.is(err.message, '/no/such/trace.csv: cannot open the trace (ENOENT); expected a readable file');
  const dir = inputError(() => checkTrace(traceSpec('/tmp', 'jsonl'), MESH_ROLES, MESH_COUNTS));
  assert.match(dir.message, /^\/tmp: cannot read the trace \(EISDIR\)$/);
});

test.run();
