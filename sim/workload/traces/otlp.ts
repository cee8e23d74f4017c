/**
 * The `otlp` trace format: OpenTelemetry's OTLP JSON encoding
 * (ExportTraceServiceRequest: `resourceSpans[].resource.attributes` with
 * `service.name`, `scopeSpans[].spans[]`). Each service is a role; each span
 * becomes a row at its start time, sent to its own service by the service of
 * its parent span (when the parent is in the file; otherwise by `external`).
 * A span is a call that is answered, so the kind is 'request'.
 *
 * Size: OTLP spans carry no message size in general, so a row is 1000 bytes
 * (OTLP_DEFAULT_BYTES) unless the span has `http.request.body.size` or
 * `messaging.message.body.size` (OpenTelemetry semantic conventions). Tokens
 * come from `gen_ai.usage.input_tokens` / `gen_ai.usage.output_tokens` when
 * present, else -1.
 *
 * Limitation: an OTLP JSON document is one value, so the file is read and
 * parsed whole, then its spans are kept as compact rows sorted by start time
 * (ties by span id, then trace id, for determinism). The collector's file
 * exporter (one such document per line) is accepted too.
 *
 * Times are Unix nanoseconds, which exceed 2^53: they are read from the text
 * as integers (BigInt) before JSON.parse can round them.
 */
import { readFileSync } from 'node:fs';
import { InputError, formatPath, type PathSegment } from '../../scenario/errors.js';
import type { TraceWorkload } from '../../scenario/types.js';
import { errorCode } from './lines.js';
import { NameCheck } from './names.js';
import type { TraceCursor, TraceRow } from './row.js';
import { shown } from './values.js';

/** Bytes of a span's message when the span does not say, an assumption of this reader. */
export const OTLP_DEFAULT_BYTES = 1000;

const SIZE_ATTRIBUTES = ['http.request.body.size', 'messaging.message.body.size'];
const TOKENS_IN = 'gen_ai.usage.input_tokens';
const TOKENS_OUT = 'gen_ai.usage.output_tokens';

/** One span, reduced to what a row needs. */
interface Span {
  startNs: bigint;
  traceId: string;
  spanId: string;
  parentId: string;
  service: string;
  bytes: number;
  tokensIn: number;
  tokensOut: number;
  /** 1-based position in the file (document order). */
  number: number;
  /** Where it is in the document, for messages. */
  path: string;
  /** The parent's service, or 'external'; filled after all spans are read. */
  src: string;
}

export class OtlpCursor implements TraceCursor {
  private readonly spans: Span[];
  private readonly t0: bigint;
  private i = 0;

  constructor(
    private readonly spec: TraceWorkload,
    roleNames: readonly string[],
    roleCounts: readonly number[],
  ) {
    this.spans = readSpans(spec.file, new NameCheck(roleNames, roleCounts));
    this.t0 = this.spans[0]?.startNs ?? 0n;
  }

  next(row: TraceRow): boolean {
    const s = this.spans[this.i];
    if (s === undefined) return false;
    this.i++;
    row.timeMs = Number(s.startNs - this.t0) / 1e6 / this.spec.speedup;
    row.src = s.src;
    row.dst = s.service;
    row.bytes = s.bytes;
    row.kind = 'request';
    row.priority = -1;
    row.cls = -1;
    row.tokensIn = s.tokensIn;
    row.tokensOut = s.tokensOut;
    row.line = s.number;
    return true;
  }

  close(): void {
    this.i = this.spans.length;
  }
}

/** All spans of the file, checked, linked to their parents and sorted. */
function readSpans(file: string, names: NameCheck): Span[] {
  const spans: Span[] = [];
  const byId = new Map<string, Span>();
  for (const { doc, line } of parseDocuments(file)) {
    const fail = (where: PathSegment[], detail: string): never => {
      throw new InputError(file, formatPath(where), detail, line);
    };
    readDocument(doc, names, fail, (span, where) => {
      const key = `${span.traceId}/${span.spanId}`;
      const twin = byId.get(key);
      if (twin !== undefined) fail([...where, 'spanId'], `span ${span.spanId} of trace ${span.traceId} appears twice; first at ${twin.path}`);
      span.number = spans.length + 1;
      byId.set(key, span);
      spans.push(span);
    });
  }
  for (const s of spans) {
    s.src = s.parentId === '' ? 'external' : (byId.get(`${s.traceId}/${s.parentId}`)?.service ?? 'external');
  }
  spans.sort((a, b) =>
    a.startNs < b.startNs ? -1 : a.startNs > b.startNs ? 1 : cmp(a.spanId, b.spanId) || cmp(a.traceId, b.traceId),
  );
  return spans;
}

/** Walks one ExportTraceServiceRequest, handing each span (and where it is) to `add`. */
function readDocument(
  doc: unknown,
  names: NameCheck,
  fail: (where: PathSegment[], detail: string) => never,
  add: (span: Span, where: PathSegment[]) => void,
): void {
  if (!isObject(doc) || !Array.isArray(doc.resourceSpans)) {
    fail([], `expected an OTLP JSON document: an object with resourceSpans (a list); got ${shown(doc)}`);
  }
  doc.resourceSpans.forEach((rs: unknown, r: number) => {
    if (!isObject(rs)) fail(['resourceSpans', r], `expected an object with resource and scopeSpans; got ${shown(rs)}`);
    const service = serviceName(rs);
    if (service === null) {
      fail(['resourceSpans', r, 'resource', 'attributes'], "expected a 'service.name' attribute with a string value (the role)");
    }
    const problem = names.problem(service);
    if (problem !== null) fail(['resourceSpans', r, 'resource', 'attributes', 'service.name'], problem);
    const scopes = rs.scopeSpans ?? rs.instrumentationLibrarySpans ?? [];
    if (!Array.isArray(scopes)) fail(['resourceSpans', r, 'scopeSpans'], `expected a list; got ${shown(scopes)}`);
    scopes.forEach((sc: unknown, s: number) => {
      const list = isObject(sc) ? (sc.spans ?? []) : sc;
      if (!Array.isArray(list)) fail(['resourceSpans', r, 'scopeSpans', s, 'spans'], `expected a list of spans; got ${shown(list)}`);
      list.forEach((sp: unknown, k: number) => {
        const where: PathSegment[] = ['resourceSpans', r, 'scopeSpans', s, 'spans', k];
        const span = readSpan(sp, service, formatPath(where), (field, detail) => fail(field === '' ? where : [...where, field], detail));
        add(span, where);
      });
    });
  });
}

function readSpan(
  sp: unknown,
  service: string,
  path: string,
  fail: (field: string, detail: string) => never,
): Span {
  if (!isObject(sp)) fail('', `expected a span object; got ${shown(sp)}`);
  const traceId = hexId(sp.traceId);
  if (traceId === null || traceId === '') fail('traceId', `expected a hex trace id; got ${shown(sp.traceId)}`);
  const spanId = hexId(sp.spanId);
  if (spanId === null || spanId === '') fail('spanId', `expected a hex span id; got ${shown(sp.spanId)}`);
  const parentId = sp.parentSpanId === undefined ? '' : hexId(sp.parentSpanId);
  if (parentId === null) fail('parentSpanId', `expected a hex span id or nothing; got ${shown(sp.parentSpanId)}`);
  const startNs = nanos(sp.startTimeUnixNano);
  if (startNs === null) fail('startTimeUnixNano', `expected a time in Unix nanoseconds (a whole number >= 0); got ${shown(sp.startTimeUnixNano)}`);
  if (sp.endTimeUnixNano !== undefined) {
    const endNs = nanos(sp.endTimeUnixNano);
    if (endNs === null) fail('endTimeUnixNano', `expected a time in Unix nanoseconds (a whole number >= 0); got ${shown(sp.endTimeUnixNano)}`);
    if (endNs < startNs) fail('endTimeUnixNano', `expected the end at or after the start (${startNs}); got ${endNs}`);
  }
  const attrs = attributeMap(sp.attributes);
  let bytes = OTLP_DEFAULT_BYTES;
  for (const name of SIZE_ATTRIBUTES) {
    const v = attrs.get(name);
    if (v === undefined) continue;
    const n = countOf(v);
    if (n === null) fail('attributes', `${name}: expected a whole number of bytes >= 0; got ${shown(v)}`);
    bytes = n;
    break;
  }
  const tokens = (name: string): number => {
    const v = attrs.get(name);
    if (v === undefined) return -1;
    const n = countOf(v);
    if (n === null) fail('attributes', `${name}: expected a whole number of tokens >= 0; got ${shown(v)}`);
    return n;
  };
  return { startNs, traceId, spanId, parentId, service, bytes, tokensIn: tokens(TOKENS_IN), tokensOut: tokens(TOKENS_OUT), number: 0, path, src: '' };
}

/** The file as one document, or (collector file exporter) one document per non-blank line. */
function parseDocuments(file: string): Array<{ doc: unknown; line: number | null }> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError(file, '', `cannot open the trace (${errorCode(err)}); expected a readable file`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') return [];
  const quoted = quoteNanos(text);
  try {
    return [{ doc: JSON.parse(quoted), line: null }];
  } catch (whole) {
    const lines = quoted.split('\n');
    if (lines.filter((l) => l.trim() !== '').length < 2) {
      throw new InputError(file, '', `expected OTLP JSON; ${whole instanceof Error ? whole.message : String(whole)}`);
    }
    const docs: Array<{ doc: unknown; line: number | null }> = [];
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        docs.push({ doc: JSON.parse(line), line: i + 1 });
      } catch (err) {
        throw new InputError(file, '', `expected OTLP JSON (one document, or one per line); ${err instanceof Error ? err.message : String(err)}`, i + 1);
      }
    });
    return docs;
  }
}

/** Puts times written as bare JSON numbers in quotes, so that they reach BigInt with every digit. */
function quoteNanos(text: string): string {
  return text.replace(/("(?:start|end)TimeUnixNano"\s*:\s*)(-?[0-9][0-9.eE+-]*)/g, '$1"$2"');
}

function nanos(value: unknown): bigint | null {
  if (typeof value !== 'string' || !/^\d+$/.test(value)) return null;
  return BigInt(value);
}

/** Lowercase hex (OTLP JSON writes ids as hex strings, in either case). */
function hexId(value: unknown): string | null {
  if (typeof value !== 'string' || !/^[0-9a-fA-F]*$/.test(value)) return null;
  return value.toLowerCase();
}

function serviceName(rs: Record<string, unknown>): string | null {
  const resource = rs.resource;
  if (!isObject(resource)) return null;
  const v = attributeMap(resource.attributes).get('service.name');
  return isObject(v) && typeof v.stringValue === 'string' && v.stringValue !== '' ? v.stringValue : null;
}

/** OTLP attributes (a list of {key, value}) by key; the values are AnyValue objects. */
function attributeMap(list: unknown): Map<string, unknown> {
  const map = new Map<string, unknown>();
  if (!Array.isArray(list)) return map;
  for (const kv of list) {
    if (isObject(kv) && typeof kv.key === 'string') map.set(kv.key, kv.value);
  }
  return map;
}

/** A whole number >= 0 from an AnyValue ({intValue: "12"} — int64 is a string in OTLP JSON — or {doubleValue: 12}). */
function countOf(v: unknown): number | null {
  if (!isObject(v)) return null;
  const raw = v.intValue ?? v.doubleValue;
  const n = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : typeof raw === 'number' ? raw : NaN;
  return Number.isInteger(n) && n >= 0 ? n : null;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
