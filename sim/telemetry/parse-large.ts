/**
 * JSON.parse of a long line of bytes without making it one long string.
 * V8 puts a string above about 128 KB in its large-object space, where making
 * one costs twenty times what it costs below (measured here: 80–190 MB/s
 * against 1.8–2.8 GB/s), and an OTLP export line holds thousands of spans in
 * megabytes. So a value longer than SMALL is split at its members or
 * elements: the bytes are scanned only to find where each ends (strings are
 * skipped with a native search for their closing quote), and each piece
 * below SMALL goes to JSON.parse as its own short string. The value built is
 * the one JSON.parse builds; bad JSON throws a SyntaxError.
 */
import { isAscii } from 'node:buffer';
import { BACKSLASH, CLOSE_ARRAY, CLOSE_OBJECT, COLON, COMMA, OPEN_ARRAY, OPEN_OBJECT, QUOTE } from './json-bytes.js';

export const SMALL = 64 * 1024;


/** UTF-8 text; ASCII (trace files nearly always are) is copied as latin1, several times faster than decoding. */
export function decode(buf: Buffer, from: number, to: number): string {
  return isAscii(buf.subarray(from, to)) ? buf.toString('latin1', from, to) : buf.toString('utf8', from, to);
}

/**
 * The JSON value in buf[from, to). `prepare` rewrites each piece's text before
 * it is parsed; an object member is parsed with its key (as `{"key": value}`),
 * so a rewrite that looks at keys sees them.
 */
export function parseBytes(buf: Buffer, from: number, to: number, prepare: (text: string) => string): unknown {
  const a = skipWs(buf, from, to);
  let b = to;
  while (b > a && isWs(buf[b - 1]!)) b--;
  return value(buf, a, b, prepare);
}

function value(buf: Buffer, a: number, b: number, prepare: (text: string) => string): unknown {
  if (b - a <= SMALL) return JSON.parse(prepare(decode(buf, a, b)));
  const c = buf[a];
  if (c === OPEN_OBJECT) {
    const out: Record<string, unknown> = {};
    let i = skipWs(buf, a + 1, b);
    if (buf[i] === CLOSE_OBJECT) return end(buf, i + 1, b, out);
    for (;;) {
      const keyStart = i;
      if (buf[i] !== QUOTE) throw bad(i);
      const keyEnd = stringEnd(buf, i, b);
      i = skipWs(buf, keyEnd, b);
      if (buf[i] !== COLON) throw bad(i);
      const v = skipWs(buf, i + 1, b);
      const vEnd = valueEnd(buf, v, b);
      const key = JSON.parse(decode(buf, keyStart, keyEnd)) as string;
      const parsed = vEnd - keyStart <= SMALL
        ? (JSON.parse(prepare(`{${decode(buf, keyStart, vEnd)}}`)) as Record<string, unknown>)[key]
        : value(buf, v, vEnd, prepare);
      Object.defineProperty(out, key, { value: parsed, writable: true, enumerable: true, configurable: true });
      i = skipWs(buf, vEnd, b);
      if (buf[i] === COMMA) i = skipWs(buf, i + 1, b);
      else if (buf[i] === CLOSE_OBJECT) return end(buf, i + 1, b, out);
      else throw bad(i);
    }
  }
  if (c === OPEN_ARRAY) {
    const out: unknown[] = [];
    let i = skipWs(buf, a + 1, b);
    if (buf[i] === CLOSE_ARRAY) return end(buf, i + 1, b, out);
    // Runs of short elements are parsed together, as one array of up to SMALL bytes: one call per run, not per element.
    let run = -1;
    let runEnd = -1;
    const flush = (): void => {
      if (run < 0) return;
      for (const v of JSON.parse(prepare(`[${decode(buf, run, runEnd)}]`)) as unknown[]) out.push(v);
      run = -1;
    };
    for (;;) {
      const vEnd = valueEnd(buf, i, b);
      if (vEnd - i > SMALL) {
        flush();
        out.push(value(buf, i, vEnd, prepare));
      } else {
        if (run >= 0 && vEnd - run > SMALL) flush();
        if (run < 0) run = i;
        runEnd = vEnd;
      }
      i = skipWs(buf, vEnd, b);
      if (buf[i] === COMMA) i = skipWs(buf, i + 1, b);
      else if (buf[i] === CLOSE_ARRAY) {
        flush();
        return end(buf, i + 1, b, out);
      } else throw bad(i);
    }
  }
  // A long string or number: there is nothing to split.
  return JSON.parse(prepare(decode(buf, a, b)));
}

function end<T>(buf: Buffer, i: number, b: number, v: T): T {
  if (skipWs(buf, i, b) !== b) throw bad(i);
  return v;
}

/** The end (exclusive) of the value starting at i. */
function valueEnd(buf: Buffer, i: number, b: number): number {
  const c = buf[i];
  if (c === QUOTE) return stringEnd(buf, i, b);
  if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
    // One pass over the bytes, strings included: trace JSON is many short strings,
    // for which a native search per string costs more than the bytes it skips.
    let depth = 0;
    let inString = false;
    for (let j = i; j < b; j++) {
      const ch = buf[j]!;
      if (inString) {
        if (ch === BACKSLASH) j++;
        else if (ch === QUOTE) inString = false;
      } else if (ch === QUOTE) inString = true;
      else if (ch === OPEN_OBJECT || ch === OPEN_ARRAY) depth++;
      else if (ch === CLOSE_OBJECT || ch === CLOSE_ARRAY) {
        if (--depth === 0) return j + 1;
      }
    }
    throw bad(b);
  }
  let j = i;
  while (j < b) {
    const ch = buf[j]!;
    if (ch === COMMA || ch === CLOSE_OBJECT || ch === CLOSE_ARRAY || isWs(ch)) break;
    j++;
  }
  if (j === i) throw bad(i);
  return j;
}

/** The end (exclusive) of the string whose opening quote is at i. */
function stringEnd(buf: Buffer, i: number, b: number): number {
  let j = buf.indexOf(QUOTE, i + 1);
  for (;;) {
    if (j < 0 || j >= b) throw bad(i);
    let slashes = 0;
    while (buf[j - 1 - slashes] === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return j + 1;
    j = buf.indexOf(QUOTE, j + 1);
  }
}

function skipWs(buf: Buffer, i: number, b: number): number {
  while (i < b && isWs(buf[i]!)) i++;
  return i;
}

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function bad(at: number): SyntaxError {
  return new SyntaxError(`Unexpected token in JSON at position ${at}`);
}
