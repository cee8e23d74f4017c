import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { derive, Diagnostics, TraceStream, TRACE_IDLE_MS, type Span } from '../../sim/telemetry/index.js';
import { parseBytes, SMALL } from '../../sim/telemetry/parse-large.js';
import { PeakTracker, QUEUED_WITHIN_MS } from '../../sim/telemetry/peak.js';
import { readLines } from '../../sim/telemetry/read-json.js';
import { Reservoir } from '../../sim/telemetry/reservoir.js';
import { rng } from './draws.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'meshtune-stream-'));

test('a line longer than SMALL parses in pieces to what JSON.parse gives; bad JSON throws', () => {
  const doc = {
    resourceSpans: Array.from({ length: 3 }, (_, r) => ({
      resource: { name: `é "${r}" \\ \u2028` },
      spans: Array.from({ length: 800 }, (_, i) => ({ id: `${r}/${i}`, t: String(1e18 + i), nested: [[i], { k: null, b: true }] })),
    })),
    long: 'x\\"'.repeat(SMALL),
    __proto__key: 1,
  };
  const buf = Buffer.from(`  ${JSON.stringify(doc)} `);
  assert.ok(buf.length > 3 * SMALL);
  assert.equal(parseBytes(buf, 0, buf.length, (t) => t), JSON.parse(buf.toString()));
  const broken = Buffer.from(JSON.stringify(doc).replace('"k":null', '"k":nul'));
  assert.throws(() => parseBytes(broken, 0, broken.length, (t) => t), SyntaxError);
});

test('readLines: lines across 4 MB chunks, longer than a chunk, CRLF and a byte-order mark', () => {
  const long = 'a'.repeat(5 * 1024 * 1024);
  const lines = ['first', long, '', 'é après', `${'b'.repeat(3 * 1024 * 1024)}`, 'last'];
  const file = path.join(tmp, 'lines.txt');
  writeFileSync(file, `\ufeff${lines.join('\r\n')}`);
  const got: string[] = [];
  // A line's bytes are valid until the next is read: decode each at once.
  for (const l of readLines(file)) got.push(l.buf.toString('utf8', l.from, l.to));
  assert.equal(got.length, lines.length);
  got.forEach((g, i) => assert.ok(g === lines[i], `line ${i + 1}`));
});

test('peak concurrency swept in parts at safe watermarks equals one sweep', () => {
  const u = rng(11);
  const iv = Array.from({ length: 5000 }, (_, i) => {
    const s = i * 2 + Math.floor(u() * 3);
    return [s, s + Math.floor(u() * 40)] as const;
  });
  const whole = new PeakTracker();
  for (const [s, e] of iv) whole.add(s, e);
  whole.sweep(Infinity);
  const parts = new PeakTracker();
  iv.forEach(([s, e], i) => {
    parts.add(s, e);
    // Every start still to come is at least 2·(i + 1): a safe watermark.
    if (i % 97 === 0) parts.sweep(2 * (i + 1));
  });
  parts.sweep(Infinity);
  assert.ok(whole.max > 10);
  assert.is(parts.max, whole.max);
});

test('a hand-off queued at the replica: its start meets another span’s end there; judged alike swept whole or in parts', () => {
  // One replica, one worker's worth of back-to-back spans: each hand-off is
  // tagged with its gap; those starting as the previous span ends (within
  // QUEUED_WITHIN_MS) queued, those starting later did not.
  const spans: Array<[number, number, number]> = [];
  let t = 0;
  for (let i = 0; i < 400; i++) {
    const queued = i % 3 !== 0;
    const start = queued ? t : t + 5; // a busy run, or an idle pause first
    const end = start + 2;
    spans.push([start, end, queued ? 1000 + i : i]); // the gap says what was expected
    t = end;
  }
  // A start 0.05 ms after an end still counts; 0.06 ms does not.
  spans.push([t + QUEUED_WITHIN_MS, t + 1, 5000], [t + 1 + 0.06, t + 2, 5]);
  const judge = (step: number): Array<[number, boolean]> => {
    const out: Array<[number, boolean]> = [];
    const tracker = new PeakTracker((gap, queued) => out.push([gap, queued]));
    spans.forEach(([s, e, gap], i) => {
      tracker.add(s, e);
      tracker.addHandoff(s, gap);
      if (step > 0 && i % step === 0) tracker.sweep(s);
    });
    tracker.sweep(Infinity);
    return out.sort((a, b) => a[0] - b[0]);
  };
  const whole = judge(0);
  assert.is(whole.length, spans.length);
  for (const [gap, queued] of whole) assert.is(queued, gap >= 1000, `gap ${gap}`);
  assert.equal(judge(7), whole);
  assert.equal(judge(1), whole);
});

test('a reservoir keeps every value below its cap, then a uniform sample with exact count and sum', () => {
  const r = new Reservoir(1000);
  for (let i = 0; i < 1000; i++) r.add(i);
  assert.equal(r.values(), Array.from({ length: 1000 }, (_, i) => i));
  assert.is(r.sampled, false);
  for (let i = 1000; i < 100_000; i++) r.add(i);
  assert.is(r.count, 100_000);
  assert.is(r.sum, (99_999 * 100_000) / 2);
  const v = r.values();
  assert.is(v.length, 1000);
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  // Uniform over 0..99,999: mean 50,000, standard error 28,868/√1000 ≈ 913.
  assert.ok(Math.abs(mean - 50_000) < 4 * 913, `mean ${mean}`);
  const again = new Reservoir(1000);
  for (let i = 0; i < 100_000; i++) again.add(i);
  assert.equal(again.values(), v);
});

/** Requests every 50 ms for 60 s: a root and two calls, the second a hand-off. */
function requests(): Span[] {
  const out: Span[] = [];
  const u = rng(5);
  for (let k = 0; k < 1200; k++) {
    const t = k * 50;
    const base = { traceId: `t${k}`, instance: `i${k % 3}`, error: false, bytes: -1, where: `r${k}` };
    const a = 2 + 5 * u();
    out.push({ ...base, spanId: 'a', parentId: '', service: 'api', startMs: t, endMs: t + 10 + a });
    out.push({ ...base, spanId: 'b', parentId: 'a', service: 'db', startMs: t + 2, endMs: t + 2 + a });
    out.push({ ...base, spanId: 'c', parentId: 'a', service: 'worker', startMs: t + 20, endMs: t + 25 });
  }
  // As an exporter writes them: when each span ends.
  return out.sort((x, y) => x.endMs - y.endMs);
}

test('streamed with idle flushes, the derivation equals the one of every span at once', () => {
  const spans = requests();
  const once = derive(spans, new Diagnostics());
  const stream = new TraceStream(new Diagnostics(), Infinity, 1000);
  for (const s of spans) stream.add(s);
  const streamed = stream.end();
  assert.is(streamed.traces, 1200);
  assert.equal(streamed.rootStartsMs, once.rootStartsMs);
  assert.equal([...streamed.paths], [...once.paths]);
  for (const [name, st] of once.services) {
    const s = streamed.services.get(name)!;
    assert.equal([s.spans, s.peakConcurrency, s.instances.size], [st.spans, st.peakConcurrency, st.instances.size], name);
    assert.equal(s.ownMs.slice().sort(), st.ownMs.slice().sort(), name);
  }
  assert.equal(streamed.handoffGapsMs.slice().sort(), once.handoffGapsMs.slice().sort());
});

test(`a part of a trace arriving more than the idle window (${TRACE_IDLE_MS / 1000} s) after the rest is a request of its own, its parent missing`, () => {
  const diag = new Diagnostics();
  const stream = new TraceStream(diag, Infinity, 1000);
  const base = { traceId: 'late', instance: '', error: false, bytes: -1 };
  stream.add({ ...base, spanId: 'a', parentId: '', service: 'api', startMs: 0, endMs: 10, where: 'x:1' });
  for (let i = 0; i < 25_000; i++) stream.add({ ...base, traceId: `o${i}`, spanId: 'a', parentId: '', service: 'api', startMs: i, endMs: i + 1, where: 'x:2' });
  stream.add({ ...base, spanId: 'b', parentId: 'a', service: 'db', startMs: 2, endMs: 5, where: 'x:3' });
  const d = stream.end();
  assert.is(d.traces, 25_002);
  assert.is(diag.counts.orphan, 1);
  assert.equal(diag.examples.orphan, ['x:3 (span b: parent a)']);
});

test.run();
