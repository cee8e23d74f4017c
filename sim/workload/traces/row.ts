/**
 * The shape every trace reader fills: one row at a time into an object the
 * caller owns and reuses, so that replaying millions of rows allocates no row
 * objects.
 */

/** One trace row, reused between calls. */
export interface TraceRow {
  /** Milliseconds after the first row (which is at 0), divided by the entry's `speedup`. */
  timeMs: number;
  /** 'external', a role name, or an agent name 'role#i'. */
  src: string;
  /** A role name or an agent name 'role#i'; '' when the row names none (the entry's `to` applies). */
  dst: string;
  /** Message size, bytes, >= 0. */
  bytes: number;
  /** '' = not given (the entry decides). */
  kind: 'oneway' | 'request' | '';
  /** 0..7, or -1 when not given. */
  priority: number;
  /** Index into the entry's `classes`, or -1 when not given (the entry's `class`). */
  cls: number;
  /** Prompt tokens, or -1 when not given. */
  tokensIn: number;
  /** Generated tokens, or -1 when not given. */
  tokensOut: number;
  /** 1-based line of the file (csv, jsonl, azure-llm) or span number in document order (otlp), for messages. */
  line: number;
}

export interface TraceCursor {
  /** Fills `row` with the next row and returns true, or returns false at the end. Throws InputError (file + row) on a bad row. */
  next(row: TraceRow): boolean;
  /** Releases the file (also after next threw). Safe to call more than once. */
  close(): void;
}

export function newTraceRow(): TraceRow {
  return { timeMs: 0, src: '', dst: '', bytes: 0, kind: '', priority: -1, cls: -1, tokensIn: -1, tokensOut: -1, line: 0 };
}
