/**
 * The `csv` trace format (SPEC §4): a header naming the columns, in any order,
 * then one row per line. Required: time_ms, src, dst, bytes. Optional: kind,
 * priority, tokens_in, tokens_out (an empty cell = not given). Blank lines are
 * skipped; columns the format does not know are ignored. See csv-split.ts for
 * the quoting rules.
 */
import type { TraceWorkload } from '../../scenario/types.js';
import { readHeader, type ColumnIndex } from './columns.js';
import { isBlank, splitCsvLine } from './csv-split.js';
import { LineReader } from './lines.js';
import type { TraceCursor, TraceRow } from './row.js';
import { RowRules } from './rules.js';

export const CSV_REQUIRED = ['time_ms', 'src', 'dst', 'bytes'] as const;
export const CSV_OPTIONAL = ['kind', 'priority', 'tokens_in', 'tokens_out'] as const;
type Column = (typeof CSV_REQUIRED)[number] | (typeof CSV_OPTIONAL)[number];

export class CsvCursor implements TraceCursor {
  private readonly lines: LineReader;
  private readonly rules: RowRules;
  private readonly fields: string[] = [];
  /** null for a file with no header (empty): no rows. */
  private readonly cols: ColumnIndex<Column> | null;
  private readonly width: number;

  constructor(spec: TraceWorkload, roleNames: readonly string[], roleCounts: readonly number[]) {
    this.rules = new RowRules(spec.file, spec, roleNames, roleCounts);
    this.lines = new LineReader(spec.file);
    try {
      const header = readHeader(this.lines, spec.file, CSV_REQUIRED, CSV_OPTIONAL);
      this.cols = header === null ? null : header.cols;
      this.width = header === null ? 0 : header.width;
    } catch (err) {
      this.lines.close();
      throw err;
    }
  }

  next(row: TraceRow): boolean {
    if (this.cols === null) return false;
    const c = this.cols;
    const f = this.fields;
    for (;;) {
      const text = this.lines.next();
      if (text === null) return false;
      if (isBlank(text)) continue;
      const r = this.rules;
      r.begin(this.lines.lineNo);
      const n = splitCsvLine(text, f);
      if (n === -1) r.fail('a quoted field is not closed on this line (quoted fields may not span lines)');
      if (n !== this.width) r.fail(`expected ${this.width} fields as in the header; got ${n}`);
      row.line = r.lineNo;
      row.timeMs = r.timeMs(f[c.time_ms], 'time_ms');
      row.src = r.src(f[c.src]);
      row.dst = r.dst(f[c.dst]);
      row.bytes = r.bytes(f[c.bytes]);
      row.kind = c.kind < 0 ? '' : r.kind(f[c.kind]);
      row.priority = c.priority < 0 ? -1 : r.priority(f[c.priority]);
      row.tokensIn = c.tokens_in < 0 ? -1 : r.tokens(f[c.tokens_in], 'tokens_in');
      row.tokensOut = c.tokens_out < 0 ? -1 : r.tokens(f[c.tokens_out], 'tokens_out');
      return true;
    }
  }

  close(): void {
    this.lines.close();
  }

}
