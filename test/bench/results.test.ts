import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { BenchEnv } from '../../bench/lib/env.js';
import { CSV_COLUMNS, formatValue, toMarkdown, writeResults } from '../../bench/lib/results.js';
import type { BenchReport } from '../../bench/lib/results.js';
import { summarize } from '../../bench/lib/summary.js';

const ENV: BenchEnv = {
  node: 'v20.0.0',
  cpu: 'Test CPU @ 1.00GHz',
  cores: 4,
  os: 'Linux 6.0 x64',
  date: '2024-01-02T03:04:05.000Z',
  commit: 'abc1234',
};

/** Medians known by hand: 3 (odd count, unsorted input) and 25 (even count: (20 + 30) / 2). */
const REPORT: BenchReport = {
  env: ENV,
  tasks: [
    { name: 'odd', unit: 'Mops/s', higherIsBetter: true, samples: [5, 1, 4, 2, 3] },
    { name: 'even', unit: 'Mevents/s', higherIsBetter: true, samples: [40, 10, 30, 20] },
  ],
};

test('summarize: median of the middle values, nearest-rank quartiles', () => {
  assert.equal(summarize([5, 1, 4, 2, 3]), { n: 5, min: 1, p25: 2, median: 3, p75: 4, max: 5 });
  const s = summarize([40, 10, 30, 20]);
  assert.is(s.median, 25);
  // Nearest rank: p25 = 1st of 4 values, p75 = 3rd.
  assert.is(s.p25, 10);
  assert.is(s.p75, 30);
  assert.is(s.min, 10);
  assert.is(s.max, 40);
  assert.equal(summarize([7]), { n: 1, min: 7, p25: 7, median: 7, p75: 7, max: 7 });
  assert.is(summarize([]).n, 0);
  assert.ok(Number.isNaN(summarize([]).median));
});

test('formatValue: four significant digits, no exponent', () => {
  assert.is(formatValue(3), '3.000');
  assert.is(formatValue(15.234), '15.23');
  assert.is(formatValue(123456.7), '123457');
});

test('writeResults: JSON has exactly the documented shape', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-results-'));
  try {
    const files = writeResults('unit', REPORT, dir);
    assert.is(files.json, path.join(dir, 'unit.json'));
    const json = JSON.parse(readFileSync(files.json, 'utf8')) as Record<string, unknown>;
    assert.equal(Object.keys(json), ['env', 'tasks']);
    assert.equal(json['env'], ENV);
    assert.equal(Object.keys(json['env'] as object), ['node', 'cpu', 'cores', 'os', 'date', 'commit']);
    const tasks = json['tasks'] as Array<Record<string, unknown>>;
    assert.is(tasks.length, 2);
    for (const t of tasks) assert.equal(Object.keys(t), ['name', 'unit', 'higherIsBetter', 'samples']);
    assert.equal(tasks[0], { name: 'odd', unit: 'Mops/s', higherIsBetter: true, samples: [5, 1, 4, 2, 3] });
    // A task marked not to gate keeps its reason, last.
    const marked = writeResults('marked', { ...REPORT, tasks: [{ ...REPORT.tasks[0]!, ungated: 'too brief' }] }, dir);
    const back = (JSON.parse(readFileSync(marked.json, 'utf8')) as { tasks: Array<Record<string, unknown>> }).tasks[0]!;
    assert.equal(Object.keys(back), ['name', 'unit', 'higherIsBetter', 'samples', 'ungated']);
    assert.is(back['ungated'], 'too brief');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('writeResults: CSV has the header and one summary row per task', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-results-'));
  try {
    const files = writeResults('unit', REPORT, dir);
    const lines = readFileSync(files.csv, 'utf8').trim().split('\n');
    assert.is(lines[0], 'name,unit,median,p25,p75,min,max,n');
    assert.is(lines[0], CSV_COLUMNS.join(','));
    assert.is(lines[1], 'odd,Mops/s,3,2,4,1,5,5');
    assert.is(lines[2], 'even,Mevents/s,25,10,30,10,40,4');
    assert.is(lines.length, 3);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('writeResults: Markdown carries the env header and the medians', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-results-'));
  try {
    const files = writeResults('unit', REPORT, dir);
    const md = readFileSync(files.md, 'utf8');
    assert.is(md, toMarkdown('unit', REPORT));
    assert.ok(md.includes('Node v20.0.0'));
    assert.ok(md.includes('Test CPU @ 1.00GHz'));
    const rows = md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| task') && !l.startsWith('| ---'));
    const cells = rows.map((r) => r.split('|').map((c) => c.trim()));
    assert.is(cells.length, 2);
    // [ '', name, unit, median, p25–p75, min–max, n, '' ]
    assert.equal(cells[0]!.slice(1, 7), ['odd', 'Mops/s', '3.000', '2.000–4.000', '1.000–5.000', '5']);
    assert.equal(cells[1]!.slice(1, 7), ['even', 'Mevents/s', '25.00', '10.00–30.00', '10.00–40.00', '4']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
