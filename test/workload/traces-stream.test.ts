import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { LineReader } from '../../sim/workload/traces/lines.js';
import { fixture, ROOT, tempFile } from './trace-spec.js';

const ROWS = 2_000_000;

/**
 * Writes a ROWS-row csv trace (about 100 MB) in blocks, in a child process so
 * that building it leaves no garbage in this heap to blur the measurement.
 */
function writeBigTrace(file: string): void {
  const script = `
    const fs = require('node:fs');
    const fd = fs.openSync(process.argv[1], 'w');
    fs.writeSync(fd, 'time_ms,src,dst,bytes,kind,priority,tokens_in,tokens_out\\n');
    for (let from = 0; from < ${ROWS}; from += 50000) {
      let text = '';
      for (let i = from; i < from + 50000; i++) {
        text += (i * 0.5) + ',external,worker#' + (i % 3) + ',' + (1000 + (i % 977)) + ',request,' + (i % 8) + ',' + (1500 + (i % 100)) + ',' + (i % 300) + '\\n';
      }
      fs.writeSync(fd, text);
    }
    fs.closeSync(fd);`;
  const done = spawnSync(process.execPath, ['-e', script, file], { stdio: ['ignore', 'ignore', 'inherit'] });
  assert.is(done.status, 0, 'writing the big trace');
}

// The heap cap of the child that streams the trace: far below the file's size, so a
// reader that kept the file (or its rows) would run out of memory instead of passing.
const HEAP_CAP_MB = 48;

test('a 2-million-row csv streams in bounded memory', () => {
  const file = tempFile('big.csv', '');
  writeBigTrace(file);
  const size = statSync(file).size;
  assert.ok(size > 90e6, `file is ${size} bytes`);

  const started = performance.now();
  const child = spawnSync(
    process.execPath,
    [`--max-old-space-size=${HEAP_CAP_MB}`, '--import', 'tsx', fixture('traces', 'stream-big-trace.ts'), file],
    { encoding: 'utf8', cwd: ROOT },
  );
  const ms = performance.now() - started;
  rmSync(file);
  assert.is(child.status, 0, `streaming under a ${HEAP_CAP_MB} MB heap failed:\n${child.stderr.slice(-2000)}`);
  const got = JSON.parse(child.stdout) as { rows: number; bytes: number; lastMs: number; ordered: boolean; before: number; peak: number };

  let want = 0;
  for (let i = 0; i < ROWS; i++) want += 1000 + (i % 977);
  assert.is(got.rows, ROWS);
  assert.is(got.bytes, want);
  assert.is(got.lastMs, (ROWS - 1) * 0.5);
  assert.ok(got.ordered, 'rows came out of time order');
  // Garbage from parsing comes and goes in the young generation; nothing grows with the file.
  const grew = got.peak - got.before;
  assert.ok(grew < size / 4, `heap grew by ${(grew / 1e6).toFixed(1)} MB while streaming a ${(size / 1e6).toFixed(0)} MB file`);
  assert.ok(got.peak < size / 2, `heap peaked at ${(got.peak / 1e6).toFixed(1)} MB for a ${(size / 1e6).toFixed(0)} MB file`);
  if (process.env.TRACE_TIMING) {
    console.log(`streamed ${ROWS} rows (${(size / 1e6).toFixed(0)} MB) in ${ms.toFixed(0)} ms; heap ${(got.before / 1e6).toFixed(1)} → ${(got.peak / 1e6).toFixed(1)} MB`);
  }
});

test('line splitting is the same for any chunk size: CRLF, UTF-8 across chunk edges, BOM, no final newline', () => {
  const lines = ['\uFEFFfirst', 'ünïcödé → ✓ 𝄞', '', 'a,b,c', 'x'.repeat(100), 'last'];
  const file = tempFile('lines.txt', lines.join('\r\n'));
  const want = ['first', ...lines.slice(1)];
  for (const chunk of [16, 17, 31, 64, 1 << 20]) {
    const reader = new LineReader(file, chunk);
    const got: string[] = [];
    for (let line = reader.next(); line !== null; line = reader.next()) got.push(line);
    assert.equal(got, want, `chunk ${chunk}`);
    assert.is(reader.lineNo, want.length);
    assert.is(reader.next(), null);
    reader.close();
    reader.close();
  }
  const trailing = new LineReader(tempFile('trailing.txt', 'a\nb\n'), 16);
  assert.equal([trailing.next(), trailing.next(), trailing.next()], ['a', 'b', null]);
  trailing.close();
});

test.run();
