/**
 * Reading JSON trace files: one document, or one document per line (the
 * OpenTelemetry Collector's file exporter, Zipkin/Jaeger dumps written as
 * JSON Lines). A line that does not parse is counted, not fatal; the file is
 * refused only when nothing in it parses.
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../scenario/errors.js';
import type { Diagnostics } from './diagnostics.js';

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

/** A file's documents: one whole document, or one per line, parsed one at a time as they are read. */
export interface JsonDocuments {
  /** True when the file is one JSON document. */
  whole: boolean;
  docs: Iterable<JsonDocument>;
  /** The text, for readers that locate things in it. */
  text: string;
}

/**
 * The documents of a JSON file. `prepare` may rewrite the text first (OTLP
 * quotes its nanosecond times so that no digit is lost to doubles). Lines are
 * parsed lazily, so only one line's document is alive at a time.
 */
export function jsonDocuments(file: string, format: string, diag: Diagnostics, prepare: (text: string) => string = (t) => t): JsonDocuments {
  const text = prepare(readText(file));
  if (text.trim() === '') throw new InputError(file, '', `the file is empty; expected ${format} JSON`);
  let whole: unknown;
  let firstError: string;
  try {
    whole = JSON.parse(text);
    return { whole: true, docs: [{ doc: whole, line: 1 }], text };
  } catch (err) {
    firstError = err instanceof Error ? err.message : String(err);
  }
  function* lines(): Generator<JsonDocument> {
    let parsed = 0;
    let lineNo = 0;
    for (let from = 0; from < text.length; ) {
      let to = text.indexOf('\n', from);
      if (to < 0) to = text.length;
      const line = text.slice(from, to);
      from = to + 1;
      lineNo++;
      if (line.trim() === '') continue;
      let doc: unknown;
      try {
        doc = JSON.parse(line);
      } catch (err) {
        if (parsed === 0 && diag.counts.malformed === 0) firstError = err instanceof Error ? err.message : String(err);
        diag.add('malformed', `${file}:${lineNo}`, 'not JSON');
        continue;
      }
      parsed++;
      yield { doc, line: lineNo };
    }
    if (parsed === 0) throw new InputError(file, '', `expected ${format} JSON (one document, or one per line); ${firstError}`);
  }
  return { whole: false, docs: lines(), text };
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Lowercase hex id, or null when the value is not a non-empty hex string. */
export function hexId(value: unknown): string | null {
  if (typeof value !== 'string' || !/^[0-9a-fA-F]+$/.test(value)) return null;
  return value.toLowerCase();
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
