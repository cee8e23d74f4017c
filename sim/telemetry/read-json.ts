/**
 * Reading JSON trace files: one document, or one document per line (the
 * OpenTelemetry Collector's file exporter, Zipkin/Jaeger dumps written as
 * JSON Lines). A line that does not parse is counted, not fatal; the file is
 * refused only when nothing in it parses.
 */
import { readFileSync, statSync } from 'node:fs';
import { InputError } from '../scenario/errors.js';
import { LineReader, type LineBytes } from '../workload/traces/lines.js';
import type { Diagnostics } from './diagnostics.js';
import { decode, parseBytes, SMALL } from './parse-large.js';

export interface JsonDocument {
  doc: unknown;
  /** 1-based line of the document; 1 for a whole-file document. */
  line: number;
}

export function readText(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = err !== null && typeof err === 'object' && 'code' in err ? String(err.code) : 'unreadable';
    throw new InputError(file, '', `cannot open the trace (${code}); expected a readable file`);
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * A reader's own handling of a JSON Lines line: true when it took the line
 * (it is then not parsed nor yielded), false to have it parsed as usual.
 */
export type FastLine = (l: LineBytes) => boolean;

/** A file's documents: one whole document, or one per line, parsed one at a time as they are read. */
export interface JsonDocuments {
  /** True when the file is one JSON document. */
  whole: boolean;
  docs: Iterable<JsonDocument>;
  /** The text, for readers that locate things in it. */
  text: string;
}

/** Above this size a file whose first line is not JSON is not read whole to try it as one document. */
export const WHOLE_DOCUMENT_MAX_BYTES = 256 * 1024 * 1024;

/**
 * The documents of a JSON file. A file whose first non-empty line parses is
 * JSON Lines: it is read in chunks and parsed one line at a time, so memory
 * holds one line, not the file. Otherwise the file is read whole and parsed as
 * one document (it must fit in memory: up to WHOLE_DOCUMENT_MAX_BYTES); if that
 * fails too, its lines are tried one by one, each bad one counted. `prepare`
 * may rewrite the text (OTLP quotes its nanosecond times so that no digit is
 * lost to doubles). `fast` sees each line of a JSON Lines file first.
 */
export function jsonDocuments(
  file: string,
  format: string,
  diag: Diagnostics,
  prepare: (text: string) => string = (t) => t,
  fast?: FastLine,
): JsonDocuments {
  let empty = true;
  let firstParses = false;
  for (const l of readLines(file)) {
    if (blank(l)) continue;
    empty = false;
    try {
      parseLine(l, prepare);
      firstParses = true;
    } catch {
      firstParses = false;
    }
    break;
  }
  if (empty) throw new InputError(file, '', `the file is empty; expected ${format} JSON`);
  let firstError = '';
  const size = fileSize(file);
  if (!firstParses && size > WHOLE_DOCUMENT_MAX_BYTES) {
    firstError = `its first line is not a JSON document, and a file of ${(size / 2 ** 20).toFixed(0)} MB is not read whole (at most ${WHOLE_DOCUMENT_MAX_BYTES / 2 ** 20} MB): write it as JSON Lines`;
  }
  if (!firstParses && size <= WHOLE_DOCUMENT_MAX_BYTES) {
    const text = prepare(readText(file));
    try {
      return { whole: true, docs: [{ doc: JSON.parse(text), line: 1 }], text };
    } catch (err) {
      firstError = err instanceof Error ? err.message : String(err);
    }
  }
  function* lines(): Generator<JsonDocument> {
    let parsed = 0;
    for (const l of readLines(file)) {
      if (blank(l)) continue;
      if (fast !== undefined && fast(l)) {
        parsed++;
        continue;
      }
      const lineNo = l.line;
      let doc: unknown;
      try {
        doc = parseLine(l, prepare);
      } catch (err) {
        if (parsed === 0 && diag.counts.malformed === 0 && firstError === '') firstError = err instanceof Error ? err.message : String(err);
        diag.add('malformed', `${file}:${lineNo}`, 'not JSON');
        continue;
      }
      parsed++;
      yield { doc, line: lineNo };
    }
    if (parsed === 0) throw new InputError(file, '', `expected ${format} JSON (one document, or one per line); ${firstError}`);
  }
  return { whole: false, docs: lines(), text: '' };
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return Infinity;
  }
}

const CHUNK = 4 * 1024 * 1024;

/** True when the bytes are only spaces and tabs. */
function blank(l: LineBytes): boolean {
  for (let i = l.from; i < l.to; i++) {
    const c = l.buf[i]!;
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false;
  }
  return true;
}

/** A line's document: short lines straight to JSON.parse, long ones in pieces (parse-large.ts). */
function parseLine(l: LineBytes, prepare: (text: string) => string): unknown {
  return l.to - l.from <= SMALL ? JSON.parse(prepare(decode(l.buf, l.from, l.to))) : parseBytes(l.buf, l.from, l.to, prepare);
}

/**
 * A file's lines (without their line ends), read in chunks of 4 MB: a line
 * longer than a chunk grows the buffer. A byte-order mark at the start is
 * dropped. Synchronous, so that readers stay plain loops.
 */
export function* readLines(file: string): Generator<LineBytes> {
  const reader = new LineReader(file, CHUNK);
  try {
    for (let l = reader.nextBytes(); l !== null; l = reader.nextBytes()) yield l;
  } finally {
    reader.close();
  }
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Lowercase hex id, or null when the value is not a non-empty hex string. */
export function hexId(value: unknown): string | null {
  // A character loop, not a regular expression: three ids a span, millions of spans.
  if (typeof value !== 'string' || value.length === 0) return null;
  let upper = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c >= 97 && c <= 102)) continue;
    if (c >= 65 && c <= 70) upper = true;
    else return null;
  }
  return upper ? value.toLowerCase() : value;
}

/** A whole number of microseconds (a JSON number or a digit string), or null. */
export function micros(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return null;
}

/** A short description of a value for messages. */
export function shownValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}
