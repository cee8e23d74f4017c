/**
 * The `csv` trace format (SPEC §4): a header naming the columns, in any order,
 * then one row per line. Required: time_ms, src, dst, bytes. Optional: kind,
 * priority, class, tokens_in, tokens_out (an empty cell = not given). Blank lines are
 * skipped; columns the format does not know are ignored. See csv-split.ts for
 * the quoting rules.
 */
import type { TraceWorkload } from '../../scenario/types.js';
import { CsvRows } from './csv-rows.js';
import type { TraceCursor, TraceRow } from './row.js';
import { RowRules } from './rules.js';

export const CSV_REQUIRED = ['time_ms', 'src', 'dst', 'bytes'] as const;
export const CSV_OPTIONAL = ['kind', 'priority', 'class', 'tokens_in', 'tokens_out'] as const;
type Column = (typeof CSV_REQUIRED)[number] | (typeof CSV_OPTIONAL)[number];

export class CsvCursor implements TraceCursor {
  private readonly rules: RowRules;
  private readonly rows: CsvRows<Column>;

  constructor(spec: TraceWorkload, roleNames: readonly string[], roleCounts: readonly number[]) {
    this.rules = new RowRules(spec.file, spec, roleNames, roleCounts);
    this.rows = new CsvRows<Column>(spec.file, CSV_REQUIRED, CSV_OPTIONAL, this.rules);
  }

  next(row: TraceRow): boolean {
    if (!this.rows.next()) return false;
    const c = this.rows.cols!;
    const f = this.rows.fields;
    const r = this.rules;
    row.line = r.lineNo;
    row.timeMs = r.timeMs(f[c.time_ms], 'time_ms');
    row.src = r.src(f[c.src]);
    row.dst = r.dst(f[c.dst]);
    row.bytes = r.bytes(f[c.bytes]);
    row.kind = c.kind < 0 ? '' : r.kind(f[c.kind]);
    row.priority = c.priority < 0 ? -1 : r.priority(f[c.priority]);
    row.cls = c.class < 0 ? -1 : r.cls(f[c.class]);
    row.tokensIn = c.tokens_in < 0 ? -1 : r.tokens(f[c.tokens_in], 'tokens_in');
    row.tokensOut = c.tokens_out < 0 ? -1 : r.tokens(f[c.tokens_out], 'tokens_out');
    return true;
  }

  close(): void {
    this.rows.close();
  }
}
