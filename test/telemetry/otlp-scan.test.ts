/**
 * The OTLP byte scanner (otlp-scan.ts) against the plain path (JSON.parse,
 * then otlp.ts's readSpan): the same spans, the same problems at the same
 * file:line, the same scenario, on every OTLP fixture (written as JSON Lines
 * so that the scanner reads them) and on generated lines that vary key order,
 * whitespace, escapes, id case, number spellings and breakage.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importTraces, readSpans } from '../../sim/telemetry/index.js';
import { otlpScan } from '../../sim/telemetry/otlp.js';
import { scanOtlpLine } from '../../sim/telemetry/otlp-scan.js';
import { rng } from './draws.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'meshtune-otlp-scan-'));

/** What the import makes of a file, by one path or the other. */
function both(file: string): { scan: unknown; plain: unknown } {
  const run = (on: boolean): unknown => {
    otlpScan.on = on;
    try {
      const { spans, diag } = readSpans('otlp', [file]);
      const r = importTraces('otlp', [file], { name: 'x' });
      return { spans, counts: diag.counts, examples: diag.examples, yaml: r.yaml, lines: r.diagnostics.lines(), spansRead: r.spansRead };
    } catch (err) {
      return { error: err instanceof Error ? err.message : String(err) };
    } finally {
      otlpScan.on = true;
    }
  };
  return { scan: run(true), plain: run(false) };
}

/** Lines of a file the scanner takes (not left to the plain path). */
function scanned(file: string): number {
  let n = 0;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const buf = Buffer.from(line);
    if (line.trim() !== '' && scanOtlpLine(buf, 0, buf.length) >= 0) n++;
  }
  return n;
}

const FIXTURES = [
  'test/fixtures/otlp/two-traces.json',
  'test/fixtures/telemetry/mesh.otlp.json',
  'test/fixtures/telemetry/mesh.otlp.jsonl',
  'scenarios/traces/otlp-example.json',
];

test('every OTLP fixture, as it is and as JSON Lines: the scanner gives what JSON.parse gives', () => {
  for (const rel of FIXTURES) {
    const file = path.join(ROOT, rel);
    const asIs = both(file);
    assert.equal(asIs.scan, asIs.plain, rel);
    // A whole document is read by the plain path: its resources one a line go through the scanner.
    const text = readFileSync(file, 'utf8');
    if (rel.endsWith('.jsonl')) continue;
    const doc = JSON.parse(text.replace(/("(?:start|end)TimeUnixNano"\s*:\s*)([0-9]+)/g, '$1"$2"')) as { resourceSpans: unknown[] };
    const lines = path.join(tmp, `${path.basename(rel)}.jsonl`);
    writeFileSync(lines, doc.resourceSpans.map((rs) => JSON.stringify({ resourceSpans: [rs] })).join('\n'));
    assert.ok(scanned(lines) === doc.resourceSpans.length, `${rel}: every line scanned`);
    const r = both(lines);
    assert.equal(r.scan, r.plain, `${rel} as JSON Lines`);
  }
});

// ---- generated lines ----

type Json = null | boolean | number | string | Json[] | { [k: string]: Json } | Bare;
/** A number written as its digits, unquoted (OTLP times beyond 2^53 are). */
class Bare {
  constructor(readonly digits: string) {}
}

/** JSON text with the keys shuffled, random whitespace, and some characters of strings written as \u escapes. */
function write(v: Json, u: () => number, opts: { escapeKeys: boolean }): string {
  const sp = (): string => (u() < 0.2 ? [' ', '\t', '  ', ' \r '][Math.floor(u() * 4)]! : '');
  const str = (s: string, isKey: boolean): string => {
    // Ids (hex) with an escape go to the plain path: rarely, so that most lines are the scanner's.
    const rate = isKey && !opts.escapeKeys ? 0 : /^[0-9a-fA-F]+$/.test(s) ? (u() < 0.02 ? 0.2 : 0) : 0.05;
    let out = '"';
    for (const ch of s) {
      const c = ch.codePointAt(0)!;
      if (ch === '"' || ch === '\\') out += `\\${ch}`;
      else if (c < 0x20 || (c < 0x10000 && u() < rate)) out += `\\u${c.toString(16).padStart(4, '0')[u() < 0.5 ? 'toUpperCase' : 'toLowerCase']()}`;
      else out += ch;
    }
    return `${out}"`;
  };
  if (v instanceof Bare) return v.digits;
  if (v === null || typeof v === 'boolean' || typeof v === 'number') return JSON.stringify(v);
  if (typeof v === 'string') return str(v, false);
  if (Array.isArray(v)) return `[${sp()}${v.map((x) => write(x, u, opts)).join(`${sp()},${sp()}`)}${sp()}]`;
  const keys = Object.keys(v);
  for (let i = keys.length - 1; i > 0; i--) {
    const j = Math.floor(u() * (i + 1));
    [keys[i], keys[j]] = [keys[j]!, keys[i]!];
  }
  return `{${sp()}${keys.map((k) => `${str(k, true)}${sp()}:${sp()}${write(v[k]!, u, opts)}`).join(`${sp()},${sp()}`)}${sp()}}`;
}

const SERVICES = ['gateway', 'auth', 'catalogue-é', 'db 数据', 'cache"q"'];
const hex = (u: () => number, n: number): string => Array.from({ length: n }, () => '0123456789abcdef'[Math.floor(u() * 16)]).join('');

/** One export request: a few resources, each with spans of a few traces, in many spellings. */
function request(u: () => number, t0: number): Json {
  const traces = Array.from({ length: 3 }, () => hex(u, 32));
  const ids: string[] = [];
  const resourceSpans: Json[] = [];
  for (let r = 0; r < 1 + Math.floor(u() * 3); r++) {
    const service = SERVICES[Math.floor(u() * SERVICES.length)]!;
    const attributes: Json[] = [{ key: 'service.name', value: { stringValue: service } }];
    if (u() < 0.5) attributes.push({ key: 'service.instance.id', value: { stringValue: `${service}-${Math.floor(u() * 3)}` } });
    if (u() < 0.2) attributes.push({ key: 'host.name', value: { stringValue: `h${Math.floor(u() * 3)}` } });
    if (u() < 0.1) attributes.push({ key: 'service.instance.id', value: { intValue: '7' } }); // a later entry without a string replaces the instance
    if (u() < 0.1) attributes.push('odd');
    const spans: Json[] = [];
    for (let s = 0; s < 1 + Math.floor(u() * 5); s++) {
      const id = hex(u, 16);
      const startNs = BigInt(t0) * 1_000_000n + BigInt(Math.floor(u() * 5e9));
      const endNs = startNs + BigInt(Math.floor(u() * 3e8));
      const time = (ns: bigint): Json => (u() < 0.2 ? new Bare(String(ns)) : String(ns));
      const sp: { [k: string]: Json } = {
        traceId: traces[Math.floor(u() * traces.length)]!,
        spanId: u() < 0.1 ? id.toUpperCase() : id,
        name: u() < 0.1 ? 'naïve \u2028 ☃' : 'op',
        kind: 2,
        startTimeUnixNano: time(startNs),
        endTimeUnixNano: time(endNs),
      };
      if (ids.length > 0 && u() < 0.8) sp.parentSpanId = ids[Math.floor(u() * ids.length)]!;
      else if (u() < 0.3) sp.parentSpanId = '';
      const size = u();
      if (size < 0.5) {
        const attrs: Json[] = [{ key: 'http.route', value: { stringValue: '/x' } }];
        if (size < 0.2) attrs.push({ key: 'rpc.request.size', value: { intValue: String(Math.floor(u() * 900)) } });
        if (size < 0.3) attrs.push({ key: 'http.request.body.size', value: u() < 0.5 ? { intValue: String(Math.floor(u() * 900)) } : { doubleValue: Math.floor(u() * 900) + 0.5 } });
        if (size < 0.1) attrs.push({ key: 'http.request.body.size', value: { intValue: '-3' } });
        if (size < 0.05) attrs.push({ key: 'messaging.message.body.size', value: { intValue: null, doubleValue: 1e3 } });
        sp.attributes = attrs;
      }
      const st = u();
      if (st < 0.1) sp.status = { code: 2 };
      else if (st < 0.15) sp.status = { code: 'STATUS_CODE_ERROR', message: 'boom' };
      else if (st < 0.2) sp.status = { code: 1 };
      else if (st < 0.25) sp.status = { code: 2.0e0 };
      else if (st < 0.4) sp.status = {};
      if (u() < 0.1) sp.events = [{ timeUnixNano: '1', name: 'e', attributes: [{ key: 'k', value: { arrayValue: { values: [{ boolValue: true }, { doubleValue: -1.5e-3 }] } } }] }];
      spans.push(sp);
      ids.push(id);
    }
    const scope = { scope: { name: 'lib', version: '1' }, spans };
    resourceSpans.push(u() < 0.1 ? { resource: { attributes }, instrumentationLibrarySpans: [scope] } : { resource: { attributes, droppedAttributesCount: 0 }, scopeSpans: [scope], schemaUrl: '' });
  }
  return { resourceSpans };
}

/** Ways to break a line; each must be counted as the plain path counts it. */
const BREAKS: Array<(line: string) => string> = [
  (l) => l.slice(0, Math.floor(l.length / 2)), // truncated
  (l) => l.replace('"op"', '"o\u0001p"'), // a raw control character in a string
  (l) => l.replace('"op"', '"o\\xp"'), // a bad escape
  (l) => `${l} x`, // trailing garbage
  (l) => l.replace(/"traceId"\s*:\s*"/, '"traceId":"zz'), // not hex: the span is refused
  (l) => l.replace(/"startTimeUnixNano"\s*:\s*"?\d+"?/, '"startTimeUnixNano":"soon"'),
  (l) => l.replace(/"service\.name"/, '"service.nom"'), // a resource without a service
  (l) => l.replace(/"kind"\s*:\s*2/, '"kind":02'), // a number JSON does not allow
  (l) => l.replace(/"spanId"/, '"spanId":"00","spanId"'), // a repeated key: JSON.parse keeps the last
  () => '[1, 2]',
  () => '{"resourceSpans": {}}',
];

test('generated lines (key order, whitespace, escapes, case, bare times, bad lines): the scanner gives what JSON.parse gives', () => {
  for (let seed = 1; seed <= 40; seed++) {
    const u = rng(seed);
    const lines: string[] = [];
    for (let i = 0; i < 12; i++) {
      let line = write(request(u, 1_700_000_000_000 + i * 1000), u, { escapeKeys: u() < 0.1 });
      if (u() < 0.15) line = BREAKS[Math.floor(u() * BREAKS.length)]!(line);
      lines.push(line);
      if (u() < 0.1) lines.push(u() < 0.5 ? '' : '  \t');
    }
    const file = path.join(tmp, `gen-${seed}.jsonl`);
    writeFileSync(file, `${u() < 0.2 ? '\ufeff' : ''}${lines.join(u() < 0.3 ? '\r\n' : '\n')}`);
    const r = both(file);
    assert.equal(r.scan, r.plain, `seed ${seed}`);
  }
});

test('the scanner takes clean lines whatever their spelling, and leaves broken ones', () => {
  const u = rng(99);
  let taken = 0;
  for (let i = 0; i < 200; i++) {
    const buf = Buffer.from(write(request(u, 1_700_000_000_000), u, { escapeKeys: false }));
    if (scanOtlpLine(buf, 0, buf.length) >= 0) taken++;
  }
  // Of ids 2% are written with an escape, which leaves their line (some 15 ids) to the plain path: about 1 line in 4.
  assert.ok(taken > 120, `${taken} of 200 clean lines scanned`);
  // Written without shuffling, spaces or escapes, so that each break finds what it breaks.
  const line = write(request(rng(5), 1_700_000_000_000), () => 0.99, { escapeKeys: false });
  for (const brk of BREAKS) {
    const broken = brk(line);
    assert.ok(broken !== line, brk.toString());
    const buf = Buffer.from(broken);
    assert.is(scanOtlpLine(buf, 0, buf.length), -1, brk.toString());
  }
});

test('bad lines are counted with file:line by both paths', () => {
  const good = write(request(rng(3), 1_700_000_000_000), () => 0.99, { escapeKeys: false });
  const file = path.join(tmp, 'bad.jsonl');
  writeFileSync(file, [good, good.slice(0, 40), good, '{"resourceSpans": [{"scopeSpans": []}]}'].join('\n'));
  const r = both(file);
  assert.equal(r.scan, r.plain);
  const got = r.scan as { examples: { malformed: string[] } };
  assert.equal(got.examples.malformed, [`${file}:2 (not JSON)`, `${file}:4 (resourceSpans[].resource: no 'service.name')`]);
});

test.run();
