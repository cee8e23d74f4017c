/**
 * OTLP JSON (ExportTraceServiceRequest, as the Collector's file exporter
 * writes it): `resourceSpans[].resource.attributes` (`service.name`,
 * `service.instance.id`), `scopeSpans[].spans[]` with hex `traceId`,
 * `spanId`, `parentSpanId`, times in `startTimeUnixNano`/`endTimeUnixNano`
 * (decimal strings, or bare numbers beyond 2^53 that are quoted before
 * parsing so that no digit is lost), `status.code` 2 = ERROR.
 */
import type { LineBytes } from '../workload/traces/lines.js';
import type { Diagnostics } from './diagnostics.js';
import { scanOtlpLine, staged, stagedSpan } from './otlp-scan.js';
import type { ReaderHooks } from './reader-hooks.js';
import { hexId, isObject, jsonDocuments, shownValue } from './read-json.js';
import { RESEND_KEY, resendOf, SIZE_KEYS, withResend, type Span } from './span.js';

const INSTANCE_KEYS = ['service.instance.id', 'host.name', 'k8s.pod.name'];
const STATUS_ERROR = 2;

/** Whether OTLP JSON Lines go through the byte scanner; false only in the test that compares the two paths. */
export const otlpScan = { on: true };

/**
 * The spans of an OTLP file. JSON Lines go through the byte scanner
 * (otlp-scan.ts), which leaves to JSON.parse here only the lines it is not
 * sure of; both give the same spans. With `addLine` the scanned spans are
 * passed on as columns, never as objects.
 */
export function readOtlp(file: string, diag: Diagnostics, add: (s: Span) => void, { addLine }: ReaderHooks = {}): void {
  const fast = (l: LineBytes): boolean => {
    const n = scanOtlpLine(l.buf, l.from, l.to);
    if (n < 0) return false;
    const where = `${file}:${l.line}`;
    if (addLine !== undefined) addLine(l.buf, staged, n, where);
    else for (let i = 0; i < n; i++) add(stagedSpan(i, l.buf, where));
    return true;
  };
  const { whole, docs, text } = jsonDocuments(file, 'OTLP', diag, quoteNanos, otlpScan.on ? fast : undefined);
  // One pretty-printed document: the k-th span is at the k-th "spanId" key, which gives it a line.
  const spanLines = whole ? keyLines(text, '"spanId"') : [];
  let k = 0;
  for (const { doc, line } of docs) {
    const at = `${file}:${line}`;
    if (!isObject(doc) || !Array.isArray(doc.resourceSpans)) {
      diag.add('malformed', at, `expected an object with resourceSpans (a list); got ${shownValue(doc)}`);
      continue;
    }
    for (const rs of doc.resourceSpans) {
      const attrs = isObject(rs) && isObject(rs.resource) ? attributes(rs.resource.attributes) : new Map<string, unknown>();
      const service = stringOf(attrs.get('service.name'));
      if (service === null || service === '') {
        diag.add('malformed', at, "resourceSpans[].resource: no 'service.name'");
        continue;
      }
      let instance = '';
      for (const k of INSTANCE_KEYS) instance ||= stringOf(attrs.get(k)) ?? '';
      const scopes = isObject(rs) ? (rs.scopeSpans ?? rs.instrumentationLibrarySpans) : undefined;
      if (!Array.isArray(scopes)) continue;
      for (const sc of scopes) {
        const spans = isObject(sc) ? sc.spans : undefined;
        if (!Array.isArray(spans)) continue;
        for (const sp of spans) {
          const where = whole ? `${file}:${spanLines[k] ?? line}` : at;
          k++;
          const span = readSpan(sp, service, instance, where);
          if (typeof span === 'string') diag.add('malformed', where, span);
          else add(span);
        }
      }
    }
  }
}

/** A span, or why it cannot be used. */
function readSpan(sp: unknown, service: string, instance: string, where: string): Span | string {
  if (!isObject(sp)) return `expected a span object; got ${shownValue(sp)}`;
  const traceId = hexId(sp.traceId);
  if (traceId === null) return `traceId: expected hex; got ${shownValue(sp.traceId)}`;
  const spanId = hexId(sp.spanId);
  if (spanId === null) return `spanId: expected hex; got ${shownValue(sp.spanId)}`;
  const parentId = sp.parentSpanId === undefined || sp.parentSpanId === '' ? '' : hexId(sp.parentSpanId);
  if (parentId === null) return `parentSpanId: expected hex or nothing; got ${shownValue(sp.parentSpanId)}`;
  const start = nanosToMs(sp.startTimeUnixNano);
  const end = nanosToMs(sp.endTimeUnixNano);
  if (start === null) return `startTimeUnixNano: expected Unix nanoseconds; got ${shownValue(sp.startTimeUnixNano)}`;
  if (end === null || end < start) return `endTimeUnixNano: expected Unix nanoseconds at or after the start; got ${shownValue(sp.endTimeUnixNano)}`;
  const bytes = sizeOf(sp.attributes);
  const status = isObject(sp.status) ? sp.status.code : undefined;
  const error = status === STATUS_ERROR || status === 'STATUS_CODE_ERROR';
  const span: Span = { traceId, spanId, parentId, service, instance, startMs: start, endMs: end, error, bytes, where };
  return withResend(span, resendAttribute(sp.attributes));
}

/** 1-based line of each occurrence of `key` in the text, in order. */
function keyLines(text: string, key: string): number[] {
  const out: number[] = [];
  let line = 1;
  let from = 0;
  for (let i = text.indexOf(key); i >= 0; i = text.indexOf(key, i + key.length)) {
    for (let j = from; j < i; j++) if (text.charCodeAt(j) === 10) line++;
    from = i;
    out.push(line);
  }
  return out;
}

const BARE_NANOS = /"(?:start|end)TimeUnixNano"\s*:\s*[0-9]/;

/** Puts times written as bare JSON numbers in quotes, so that they reach BigInt with every digit. */
function quoteNanos(text: string): string {
  // Most exporters write the times as strings already: then the text is used as it is, not copied.
  if (!BARE_NANOS.test(text)) return text;
  // The whole number token: a fraction or an exponent stays with its digits.
  return text.replace(/("(?:start|end)TimeUnixNano"\s*:\s*)([0-9][0-9]*(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)/g, '$1"$2"');
}

/**
 * Unix nanoseconds (a digit string) → ms, microseconds kept exactly: the
 * digits but the last three are the whole microseconds, which a double holds
 * exactly up to 2^53 µs (year 2255), as BigInt division would give them.
 * A number with a fraction or an exponent (`1.7000000050095585e+18`, as some
 * writers print large numbers) is read as the double it is: within a
 * fraction of a microsecond today.
 */
function nanosToMs(v: unknown): number | null {
  if (typeof v !== 'string' || v.length === 0) return null;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 48 || c > 57) return JSON_NUMBER.test(v) ? Number(v) / 1e6 : null;
  }
  return v.length > 3 ? Number(v.slice(0, -3)) / 1000 : 0;
}

/** A non-negative JSON number with a fraction or an exponent. */
const JSON_NUMBER = /^(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;

/** Request bytes from the first size attribute present (SIZE_KEYS order), -1 when none. */
function sizeOf(list: unknown): number {
  if (!Array.isArray(list) || list.length === 0) return -1;
  let bytes = -1;
  let rank = SIZE_KEYS.length;
  for (const kv of list) {
    if (!isObject(kv) || typeof kv.key !== 'string') continue;
    const r = SIZE_KEYS.indexOf(kv.key);
    if (r < 0 || r >= rank) continue;
    const n = numberOf(kv.value);
    if (n !== null && n >= 0) {
      bytes = n;
      rank = r;
    }
  }
  return bytes;
}

/** The span's `http.request.resend_count` (an intValue), 0 when absent. */
function resendAttribute(list: unknown): number {
  if (!Array.isArray(list)) return 0;
  for (const kv of list) {
    if (isObject(kv) && kv.key === RESEND_KEY) return resendOf(numberOf(kv.value) ?? undefined);
  }
  return 0;
}

function attributes(list: unknown): Map<string, unknown> {
  const map = new Map<string, unknown>();
  if (!Array.isArray(list)) return map;
  for (const kv of list) if (isObject(kv) && typeof kv.key === 'string') map.set(kv.key, kv.value);
  return map;
}

function stringOf(v: unknown): string | null {
  return isObject(v) && typeof v.stringValue === 'string' ? v.stringValue : null;
}

/** An AnyValue number: intValue is a decimal string in OTLP JSON. */
function numberOf(v: unknown): number | null {
  if (!isObject(v)) return null;
  const raw = v.intValue ?? v.doubleValue;
  const n = typeof raw === 'string' ? Number(raw) : typeof raw === 'number' ? raw : NaN;
  return Number.isFinite(n) ? n : null;
}
