/**
 * The fast path of OTLP JSON Lines: one line (an ExportTraceServiceRequest)
 * scanned byte by byte for the fields the import reads, without building the
 * document. JSON.parse of a 2,000-span line builds some 40 objects a span
 * that are dropped at once, and garbage collection and parsing were most of
 * an import's time; this scanner makes no object a span: it writes each
 * span's fields, and where its hex ids sit in the line, to columns
 * (`staged`), which the caller hands on (stream.ts keeps them in columns).
 *
 * It gives what the plain path (otlp.ts: JSON.parse, then readSpan) gives, or
 * nothing: whatever it is not sure of, it leaves to the plain path by
 * returning false before any span of the line is passed on. That is: a line
 * that is not valid JSON (the plain path counts it), a span the plain path
 * would refuse (so that its message is the plain path's), a resource without
 * a service name, a repeated key (JSON.parse keeps the last value), a key
 * or an id written with escapes, an id longer than ID_BYTES, a list of spans
 * in an unexpected place or of an unexpected type. Fields come in any order; strings with escapes or
 * non-ASCII bytes are decoded as JSON.parse decodes them. A test compares both
 * paths on every fixture and on generated variations (test/telemetry/otlp-scan.test.ts).
 */
import { RESEND_KEY, resendOf, SIZE_KEYS, withResend, type Span } from './span.js';
import { ID_BYTES } from './span-store.js';
import { BACKSLASH, CLOSE_ARRAY, CLOSE_OBJECT, COLON, COMMA, OPEN_ARRAY, OPEN_OBJECT, QUOTE } from './json-bytes.js';

const MAX_EXACT = 2 ** 53;

/** Thrown (one object, never built again) to hand a line to the plain path. */
const FALLBACK = new Error('otlp-scan: left to the plain path');

const bytesOf = (keys: readonly string[]): Buffer[] => keys.map((k) => Buffer.from(k, 'latin1'));
const TOP_KEYS = bytesOf(['resourceSpans']);
const RS_KEYS = bytesOf(['resource', 'scopeSpans', 'instrumentationLibrarySpans']);
const RESOURCE_KEYS = bytesOf(['attributes']);
/** Resource attributes read: the service, then the instance keys in otlp.ts's order. */
const RESOURCE_ATTRS = bytesOf(['service.name', 'service.instance.id', 'host.name', 'k8s.pod.name']);
const KV_KEYS = bytesOf(['key', 'value']);
const STRING_VALUE_KEYS = bytesOf(['stringValue']);
const NUMBER_VALUE_KEYS = bytesOf(['intValue', 'doubleValue']);
const SCOPE_KEYS = bytesOf(['spans']);
const SPAN_KEYS = bytesOf(['traceId', 'spanId', 'parentSpanId', 'startTimeUnixNano', 'endTimeUnixNano', 'attributes', 'status']);
/** The size keys, then the resend key (at index SIZE_KEYS.length). */
const ATTR_KEY_BYTES = bytesOf([...SIZE_KEYS, RESEND_KEY]);
const RESEND_INDEX = SIZE_KEYS.length;
const STATUS_KEYS = bytesOf(['code']);
const STATUS_ERROR_TEXT = 'STATUS_CODE_ERROR';

// The scanner's state: the line's bytes, the position, and the last string token read.
let b: Buffer = Buffer.alloc(0);
let p = 0;
let e = 0;
/** The last string token's content is b[sA, sB); sEsc: it holds escapes; sHi: it holds non-ASCII bytes. */
let sA = 0;
let sB = 0;
let sEsc = false;
let sHi = false;

/**
 * A line's spans, in columns: span i's trace, span and parent ids are the
 * lowercase-able hex digits buf[traceA[i], + traceN[i]) etc. of the line
 * (parentN 0: a root), valid until the next line is read.
 */
export interface Staged {
  traceA: Int32Array;
  traceN: Uint8Array;
  spanA: Int32Array;
  spanN: Uint8Array;
  parentA: Int32Array;
  parentN: Uint8Array;
  startMs: Float64Array;
  endMs: Float64Array;
  bytes: Float64Array;
  error: Uint8Array;
  resend: Int32Array;
  service: string[];
  instance: string[];
}

/**
 * The n spans of a line scanned into columns (`staged`, whose hex ids are
 * bytes of `buf`): how the scanner's caller hands spans to the stream
 * without making objects of them.
 */
export type LineSink = (buf: Buffer, st: Staged, n: number, where: string) => void;

export const staged: Staged = columns(4096);
let n = 0;

function columns(size: number): Staged {
  return {
    traceA: new Int32Array(size), traceN: new Uint8Array(size), spanA: new Int32Array(size), spanN: new Uint8Array(size),
    parentA: new Int32Array(size), parentN: new Uint8Array(size), startMs: new Float64Array(size), endMs: new Float64Array(size),
    bytes: new Float64Array(size), error: new Uint8Array(size), resend: new Int32Array(size), service: [], instance: [],
  };
}

function growStaged(): void {
  const bigger = columns(staged.traceA.length * 2);
  for (const k of Object.keys(bigger) as Array<keyof Staged>) {
    if (k === 'service' || k === 'instance') continue;
    (bigger[k] as Uint8Array).set(staged[k] as Uint8Array);
  }
  Object.assign(staged, { ...bigger, service: staged.service, instance: staged.instance });
}

/** Span i of the last line scanned as an object (for readers that want objects). */
export function stagedSpan(i: number, buf: Buffer, where: string): Span {
  const st = staged;
  const id = (a: number, len: number): string => buf.toString('latin1', a, a + len).toLowerCase();
  const span: Span = {
    traceId: id(st.traceA[i]!, st.traceN[i]!), spanId: id(st.spanA[i]!, st.spanN[i]!), parentId: id(st.parentA[i]!, st.parentN[i]!),
    service: st.service[i]!, instance: st.instance[i]!, startMs: st.startMs[i]!, endMs: st.endMs[i]!, error: st.error[i] === 1,
    bytes: st.bytes[i]!, where,
  };
  return withResend(span, st.resend[i]!);
}

/**
 * Scans the line `buf[from, to)` into `staged`: the number of spans, or -1
 * when the line is left to the plain path (nothing of it is to be used).
 */
export function scanOtlpLine(buf: Buffer, from: number, to: number): number {
  b = buf;
  p = from;
  e = to;
  n = 0;
  try {
    ws();
    let seen = false;
    objectStart();
    if (!objectEmpty()) {
      do {
        const k = key(TOP_KEYS);
        if (k === 0) {
          if (seen) throw FALLBACK;
          seen = true;
          resourceSpans();
        } else skipValue();
      } while (more(CLOSE_OBJECT));
    }
    ws();
    if (p !== e || !seen) throw FALLBACK;
    return n;
  } catch {
    // Anything unexpected, a stack overflow on absurd nesting included, is the plain path's to judge.
    return -1;
  }
}

function resourceSpans(): void {
  arrayStart();
  if (arrayEmpty()) return;
  do resource();
  while (more(CLOSE_ARRAY));
}

/** The service, instances (per RESOURCE_ATTRS index) of the resource being read. */
const attrValues: Array<string | null> = [null, null, null, null];

function resource(): void {
  objectStart();
  const first = n;
  let haveResource = false;
  let haveScopes = false;
  if (!objectEmpty()) {
    do {
      const k = key(RS_KEYS);
      if (k === 0) {
        if (haveResource) throw FALLBACK;
        haveResource = true;
        resourceObject();
      } else if (k > 0) {
        if (haveScopes) throw FALLBACK;
        haveScopes = true;
        scopes();
      } else skipValue();
    } while (more(CLOSE_OBJECT));
  }
  if (!haveResource || !haveScopes) throw FALLBACK;
  const service = attrValues[0];
  if (service === null || service === undefined || service === '') throw FALLBACK;
  let instance = '';
  for (let i = 1; i < attrValues.length; i++) instance ||= attrValues[i] ?? '';
  for (let i = first; i < n; i++) {
    staged.service[i] = service;
    staged.instance[i] = instance;
  }
}

function resourceObject(): void {
  objectStart();
  for (let i = 0; i < attrValues.length; i++) attrValues[i] = null;
  let haveAttrs = false;
  if (!objectEmpty()) {
    do {
      if (key(RESOURCE_KEYS) === 0) {
        if (haveAttrs) throw FALLBACK;
        haveAttrs = true;
        resourceAttributes();
      } else skipValue();
    } while (more(CLOSE_OBJECT));
  }
  if (!haveAttrs) throw FALLBACK;
}

/** Like otlp.ts's attributes(): a later entry of the same key replaces an earlier one, even with no string value. */
function resourceAttributes(): void {
  arrayStart();
  if (arrayEmpty()) return;
  do {
    if (b[p] !== OPEN_OBJECT) {
      skipValue();
      continue;
    }
    objectStart();
    let which = -2; // -2: no string key; -1: a key not read
    let haveValue = false;
    let value: string | null = null;
    if (!objectEmpty()) {
      do {
        const k = key(KV_KEYS);
        if (k === 0) {
          if (which !== -2) throw FALLBACK;
          if (b[p] === QUOTE) {
            str();
            which = match(RESOURCE_ATTRS);
          } else {
            skipValue();
            throw FALLBACK;
          }
        } else if (k === 1) {
          if (haveValue) throw FALLBACK;
          haveValue = true;
          value = stringValue();
        } else skipValue();
      } while (more(CLOSE_OBJECT));
    }
    if (which >= 0) attrValues[which] = value;
  } while (more(CLOSE_ARRAY));
}

/** An AnyValue's stringValue when it is an object with a string there, else null. */
function stringValue(): string | null {
  if (b[p] !== OPEN_OBJECT) {
    skipValue();
    return null;
  }
  objectStart();
  let out: string | null = null;
  let seen = false;
  if (!objectEmpty()) {
    do {
      if (key(STRING_VALUE_KEYS) === 0) {
        if (seen) throw FALLBACK;
        seen = true;
        if (b[p] === QUOTE) {
          str();
          out = text();
        } else skipValue();
      } else skipValue();
    } while (more(CLOSE_OBJECT));
  }
  return out;
}

function scopes(): void {
  arrayStart();
  if (arrayEmpty()) return;
  do {
    objectStart();
    let haveSpans = false;
    if (!objectEmpty()) {
      do {
        if (key(SCOPE_KEYS) === 0) {
          if (haveSpans) throw FALLBACK;
          haveSpans = true;
          arrayStart();
          if (!arrayEmpty()) {
            do span();
            while (more(CLOSE_ARRAY));
          }
        } else skipValue();
      } while (more(CLOSE_OBJECT));
    }
    if (!haveSpans) throw FALLBACK;
  } while (more(CLOSE_ARRAY));
}

function span(): void {
  objectStart();
  if (n === staged.traceA.length) growStaged();
  const st = staged;
  let error = false;
  let seen = 0;
  st.parentN[n] = 0;
  st.bytes[n] = -1;
  st.resend[n] = 0;
  let j = 0;
  if (!objectEmpty()) {
    do {
      const k = spanKey(j++);
      if (k >= 0) {
        if ((seen & (1 << k)) !== 0) throw FALLBACK;
        seen |= 1 << k;
      }
      switch (k) {
        case 0:
          hex(false);
          st.traceA[n] = sA;
          st.traceN[n] = sB - sA;
          break;
        case 1:
          hex(false);
          st.spanA[n] = sA;
          st.spanN[n] = sB - sA;
          break;
        case 2:
          hex(true);
          st.parentA[n] = sA;
          st.parentN[n] = sB - sA;
          break;
        case 3:
          nanos(st.startMs);
          break;
        case 4:
          nanos(st.endMs);
          break;
        case 5:
          st.bytes[n] = attributes();
          break;
        case 6:
          error = statusError();
          break;
        default:
          skipValue();
      }
    } while (more(CLOSE_OBJECT));
  }
  // The plain path refuses a span without these: its message is the plain path's to give.
  if ((seen & 0b11011) !== 0b11011 || st.endMs[n]! < st.startMs[n]!) throw FALLBACK;
  st.error[n] = error ? 1 : 0;
  n++;
}

/**
 * Spans of one export nearly always spell their members alike, in the same
 * order: the j-th key of the last span read is compared byte for byte first
 * (with its quotes: a match is that very string token, no escape in it), and
 * only a miss reads the key as a string and looks it up. Keys were some 40%
 * of the scanning time.
 */
const predicted: Buffer[] = [];
const predictedKey: number[] = [];

function spanKey(j: number): number {
  ws();
  const kb = predicted[j];
  if (kb !== undefined && p + kb.length <= e) {
    const buf = b;
    const a = p;
    const len = kb.length;
    let i = 0;
    while (i < len && kb[i] === buf[a + i]) i++;
    if (i === len) {
      p = a + len;
      ws();
      if (b[p] !== COLON) throw FALLBACK;
      p++;
      ws();
      return predictedKey[j]!;
    }
  }
  const a = p;
  const k = key(SPAN_KEYS);
  // key() read one string without escapes at a: remember it, quotes included.
  predicted[j] = Buffer.from(b.subarray(a, sB + 1));
  predictedKey[j] = k;
  return k;
}

/**
 * A hex id string at p (as otlp.ts's hexId reads it; '' allowed only for a
 * parent): its digits are left in b[sA, sB). Escapes, other characters or
 * more than ID_BYTES digits go to the plain path. One loop checks the digits
 * and finds the closing quote.
 */
function hex(emptyOk: boolean): void {
  if (b[p] !== QUOTE) throw FALLBACK;
  const buf = b;
  const a = p + 1;
  let i = a;
  for (;;) {
    const c = buf[i];
    if (c === QUOTE) break;
    if (c === undefined || i >= e || !((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) throw FALLBACK;
    i++;
  }
  if ((i === a && !emptyOk) || i - a > ID_BYTES) throw FALLBACK;
  sA = a;
  sB = i;
  p = i + 1;
}

/**
 * Unix nanoseconds → ms as otlp.ts's nanosToMs gives them: whole
 * microseconds (all digits but the last three) / 1000. A digit string, or
 * bare digits (which the plain path quotes before parsing).
 */
function nanos(into: Float64Array): void {
  const buf = b;
  const quoted = buf[p] === QUOTE;
  const a = quoted ? p + 1 : p;
  // One pass: each digit enters a window of the last three (the sub-microsecond digits);
  // the one leaving it joins the microseconds (leading zeros while the window fills change nothing).
  let us = 0;
  let d1 = 0;
  let d2 = 0;
  let d3 = 0;
  let z = a;
  for (; z < e; z++) {
    const c = buf[z]! - 48;
    if (c < 0 || c > 9) break;
    us = us * 10 + d1;
    d1 = d2;
    d2 = d3;
    d3 = c;
  }
  if (quoted) {
    if (buf[z] !== QUOTE || z >= e) {
      // Not plain digits: escapes are decoded as JSON.parse would; anything else is the plain path's.
      str();
      if (!sEsc) throw FALLBACK;
      const s = text();
      if (!/^[0-9]+$/.test(s)) throw FALLBACK;
      into[n] = s.length > 3 ? Number(s.slice(0, -3)) / 1000 : 0;
      return;
    }
    p = z + 1;
  } else p = z;
  if (z === a) throw FALLBACK;
  // From 2^53 on the running sum may round otherwise than Number() does: ask Number().
  if (us >= MAX_EXACT) us = Number(buf.toString('latin1', a, z - 3));
  // Written to the column, not returned: a double returned from a call that is not inlined is a heap allocation.
  into[n] = z - a > 3 ? us / 1000 : 0;
}

/**
 * Request bytes as otlp.ts's sizeOf gives them: the first usable value of the
 * best-ranked size key; -1 when none. The first resend count goes to
 * `staged.resend` on the way (otlp.ts's resendAttribute).
 */
function attributes(): number {
  if (b[p] !== OPEN_ARRAY) {
    skipValue();
    return -1;
  }
  arrayStart();
  let bytes = -1;
  let rank = RESEND_INDEX;
  let resendSeen = false;
  if (arrayEmpty()) return -1;
  do {
    if (b[p] !== OPEN_OBJECT) {
      skipValue();
      continue;
    }
    objectStart();
    let r = -2; // -2: no string key; -1: not a size key
    let value: number | null = null;
    let haveValue = false;
    if (!objectEmpty()) {
      do {
        const k = key(KV_KEYS);
        if (k === 0) {
          if (r !== -2) throw FALLBACK;
          if (b[p] !== QUOTE) throw FALLBACK;
          str();
          r = match(ATTR_KEY_BYTES);
        } else if (k === 1) {
          if (haveValue) throw FALLBACK;
          haveValue = true;
          value = numberValue();
        } else skipValue();
      } while (more(CLOSE_OBJECT));
    }
    if (r === RESEND_INDEX) {
      if (!resendSeen) staged.resend[n] = resendOf(value ?? undefined);
      resendSeen = true;
    } else if (r >= 0 && r < rank && value !== null && value >= 0) {
      bytes = value;
      rank = r;
    }
  } while (more(CLOSE_ARRAY));
  return bytes;
}

/** otlp.ts's numberOf: intValue ?? doubleValue, a decimal string or a number; null when not a finite number. */
function numberValue(): number | null {
  if (b[p] !== OPEN_OBJECT) {
    skipValue();
    return null;
  }
  objectStart();
  // Per key: undefined = absent, null = JSON null, NaN = not a string or number.
  let iv: number | null | undefined;
  let dv: number | null | undefined;
  if (!objectEmpty()) {
    do {
      const k = key(NUMBER_VALUE_KEYS);
      if (k >= 0) {
        if ((k === 0 ? iv : dv) !== undefined) throw FALLBACK;
        const v = numberOrNull();
        if (k === 0) iv = v;
        else dv = v;
      } else skipValue();
    } while (more(CLOSE_OBJECT));
  }
  const raw = iv ?? dv;
  return raw === undefined || raw === null || !Number.isFinite(raw) ? null : raw;
}

function numberOrNull(): number | null {
  const c = b[p];
  if (c === QUOTE) {
    str();
    return Number(text());
  }
  const a = p;
  skipValue();
  if (c === 0x6e) return null; // null
  if (c === 0x2d || (c !== undefined && c >= 48 && c <= 57)) return Number(b.toString('latin1', a, p));
  return NaN;
}

/** otlp.ts: status.code 2 or 'STATUS_CODE_ERROR' is an error. */
function statusError(): boolean {
  if (b[p] !== OPEN_OBJECT) {
    skipValue();
    return false;
  }
  objectStart();
  let error = false;
  let seen = false;
  if (!objectEmpty()) {
    do {
      if (key(STATUS_KEYS) === 0) {
        if (seen) throw FALLBACK;
        seen = true;
        const c = b[p];
        const a = p;
        skipValue();
        if (c === QUOTE) error = text() === STATUS_ERROR_TEXT;
        else if (c === 0x2d || (c !== undefined && c >= 48 && c <= 57)) error = p - a === 1 ? c === 50 : Number(b.toString('latin1', a, p)) === 2;
      } else skipValue();
    } while (more(CLOSE_OBJECT));
  }
  return error;
}

// ---- JSON tokens (validated as strictly as JSON.parse does) ----

/** The object member's key: its index in `keys`, or -1. Leaves p at the value. */
function key(keys: readonly Buffer[]): number {
  ws();
  if (b[p] !== QUOTE) throw FALLBACK;
  str();
  // A key spelled with escapes is rare, and the plain path treats some (the time keys) specially.
  if (sEsc) throw FALLBACK;
  const k = match(keys);
  ws();
  if (b[p] !== COLON) throw FALLBACK;
  p++;
  ws();
  return k;
}

/** Index in `keys` of the last string token (no escapes), or -1. */
function match(keys: readonly Buffer[]): number {
  if (sEsc) {
    const s = text();
    for (let k = 0; k < keys.length; k++) if (keys[k]!.toString('latin1') === s) return k;
    return -1;
  }
  const n = sB - sA;
  const buf = b;
  const a = sA;
  for (let k = 0; k < keys.length; k++) {
    const kb = keys[k]!;
    if (kb.length !== n) continue;
    let i = 0;
    while (i < n && kb[i] === buf[a + i]) i++;
    if (i === n) return k;
  }
  return -1;
}

/** The last string token as JSON.parse gives it. */
function text(): string {
  if (sEsc) return JSON.parse(b.toString('utf8', sA - 1, sB + 1)) as string;
  return sHi ? b.toString('utf8', sA, sB) : b.toString('latin1', sA, sB);
}

/** Reads the string token at p (its opening quote). Locals, not the module's state, in the loop: it runs per byte. */
function str(): void {
  const buf = b;
  const end = e;
  let i = p + 1;
  let esc = false;
  let hi = false;
  for (;;) {
    if (i >= end) throw FALLBACK;
    const c = buf[i]!;
    if (c === QUOTE) break;
    if (c === BACKSLASH) {
      esc = true;
      const d = buf[i + 1];
      if (d === 0x75) {
        for (let j = i + 2; j < i + 6; j++) if (j >= end || !isHex(buf[j]!)) throw FALLBACK;
        i += 6;
      } else if (d === QUOTE || d === BACKSLASH || d === 0x2f || d === 0x62 || d === 0x66 || d === 0x6e || d === 0x72 || d === 0x74) i += 2;
      else throw FALLBACK;
    } else if (c < 0x20) throw FALLBACK;
    else {
      if (c >= 0x80) hi = true;
      i++;
    }
  }
  sA = p + 1;
  sB = i;
  sEsc = esc;
  sHi = hi;
  p = i + 1;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/** Skips the value at p, checking it is JSON. */
function skipValue(): void {
  const c = b[p];
  if (c === QUOTE) str();
  else if (c === OPEN_OBJECT) {
    objectStart();
    if (objectEmpty()) return;
    do {
      ws();
      if (b[p] !== QUOTE) throw FALLBACK;
      str();
      ws();
      if (b[p] !== COLON) throw FALLBACK;
      p++;
      ws();
      skipValue();
    } while (more(CLOSE_OBJECT));
  } else if (c === OPEN_ARRAY) {
    arrayStart();
    if (arrayEmpty()) return;
    do skipValue();
    while (more(CLOSE_ARRAY));
  } else if (c === 0x74) literal('true');
  else if (c === 0x66) literal('false');
  else if (c === 0x6e) literal('null');
  else number();
}

function literal(word: string): void {
  for (let i = 0; i < word.length; i++) if (b[p + i] !== word.charCodeAt(i)) throw FALLBACK;
  p += word.length;
}

/** -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
function number(): void {
  if (b[p] === 0x2d) p++;
  if (b[p] === 48) p++;
  else if (!digits()) throw FALLBACK;
  if (b[p] === 0x2e) {
    p++;
    if (!digits()) throw FALLBACK;
  }
  if (b[p] === 0x65 || b[p] === 0x45) {
    p++;
    if (b[p] === 0x2b || b[p] === 0x2d) p++;
    if (!digits()) throw FALLBACK;
  }
}

function digits(): boolean {
  const a = p;
  while (p < e && b[p]! >= 48 && b[p]! <= 57) p++;
  return p > a;
}

function objectStart(): void {
  if (b[p] !== OPEN_OBJECT) throw FALLBACK;
  p++;
}

/** After `{`: true (and past the `}`) when the object is empty. */
function objectEmpty(): boolean {
  ws();
  if (b[p] !== CLOSE_OBJECT) return false;
  p++;
  return true;
}

function arrayStart(): void {
  if (b[p] !== OPEN_ARRAY) throw FALLBACK;
  p++;
}

/** After `[`: true (and past the `]`) when the array is empty; else p at the first element. */
function arrayEmpty(): boolean {
  ws();
  if (b[p] !== CLOSE_ARRAY) return false;
  p++;
  return true;
}

/** After a member or element: true at a comma (p then at the next one), false past the closing bracket. */
function more(close: number): boolean {
  ws();
  const c = b[p];
  if (c === COMMA) {
    p++;
    ws();
    return true;
  }
  if (c === close) {
    p++;
    return false;
  }
  throw FALLBACK;
}

function ws(): void {
  const buf = b;
  let i = p;
  while (i < e) {
    const c = buf[i]!;
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
    else break;
  }
  p = i;
}
