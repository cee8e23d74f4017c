/**
 * Trace workloads (SPEC §4, `pattern: trace`): readers that replay a recorded
 * trace one row at a time. csv, jsonl and azure-llm are streamed in 1 MiB
 * chunks, so a trace of any length costs constant memory; otlp is one JSON
 * document and is parsed whole. All formats pass the same checks (rules.ts).
 */
import type { TraceWorkload } from '../../scenario/types.js';
import { AzureLlmCursor } from './azure.js';
import { CsvCursor } from './csv.js';
import { JsonlCursor } from './jsonl.js';
import { OtlpCursor } from './otlp.js';
import { newTraceRow, type TraceCursor } from './row.js';

export type { TraceCursor, TraceRow } from './row.js';
export { newTraceRow } from './row.js';
export { OTLP_DEFAULT_BYTES } from './otlp.js';
export { CHUNK_BYTES } from './lines.js';

/** Opens a trace for replay. Throws InputError when the file cannot be read or its header is wrong. */
export function openTrace(spec: TraceWorkload, roleNames: readonly string[], roleCounts: readonly number[]): TraceCursor {
  switch (spec.format) {
    case 'csv':
      return new CsvCursor(spec, roleNames, roleCounts);
    case 'jsonl':
      return new JsonlCursor(spec, roleNames, roleCounts);
    case 'azure-llm':
      return new AzureLlmCursor(spec, roleNames, roleCounts);
    case 'otlp':
      return new OtlpCursor(spec, roleNames, roleCounts);
  }
}

/** What a full pass over a trace found. */
export interface TraceSummary {
  rows: number;
  /** Simulation time of the last row (the first is at 0), ms, after speedup. */
  spanMs: number;
  /** Set when the trace has no rows (an empty file, or a header only); null otherwise. */
  warning: string | null;
}

/**
 * Reads the whole trace once with the same checks as the cursor, so that bad
 * input stops the run (exit 2) before any simulation work. Streams like the
 * cursor: memory does not grow with the file.
 */
export function checkTrace(spec: TraceWorkload, roleNames: readonly string[], roleCounts: readonly number[]): TraceSummary {
  const cursor = openTrace(spec, roleNames, roleCounts);
  const row = newTraceRow();
  let rows = 0;
  let spanMs = 0;
  try {
    while (cursor.next(row)) {
      rows++;
      spanMs = row.timeMs;
    }
  } finally {
    cursor.close();
  }
  const warning = rows === 0 ? `${spec.file}: the trace has no rows (the file is empty or has only a header); the entry sends nothing` : null;
  return { rows, spanMs, warning };
}
