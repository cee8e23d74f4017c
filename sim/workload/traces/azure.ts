/**
 * The `azure-llm` trace format: the Azure LLM inference traces 2023
 * (Azure/AzurePublicDataset; Patel et al., "Splitwise", ISCA 2024), CSV with
 * `TIMESTAMP,ContextTokens,GeneratedTokens`. Each row is a message from
 * `external` to the entry's `to`, carrying ContextTokens in and
 * GeneratedTokens out, of ContextTokens × bytesPerToken bytes (SPEC §4).
 * Gaps between rows are computed in integer nanoseconds from the parsed
 * timestamps, so they are exact to the trace's 100 ns resolution.
 */
import { InputError } from '../../scenario/errors.js';
import type { TraceWorkload } from '../../scenario/types.js';
import { CsvRows } from './csv-rows.js';
import type { TraceCursor, TraceRow } from './row.js';
import { RowRules } from './rules.js';
import { parseTimestamp, type Instant } from './timestamp.js';
import { shown } from './values.js';

const REQUIRED = ['TIMESTAMP', 'ContextTokens', 'GeneratedTokens'] as const;
type Column = (typeof REQUIRED)[number];

export class AzureLlmCursor implements TraceCursor {
  private readonly rules: RowRules;
  private readonly rows: CsvRows<Column>;
  private readonly at: Instant = { sec: 0, nanos: 0 };
  private sec0 = 0;
  private nanos0 = 0;

  constructor(
    private readonly spec: TraceWorkload,
    roleNames: readonly string[],
    roleCounts: readonly number[],
  ) {
    this.rules = new RowRules(spec.file, spec, roleNames, roleCounts);
    if (spec.to === '') throw new InputError(spec.file, '', "format azure-llm names no destination; expected the workload entry to set 'to'");
    this.rows = new CsvRows<Column>(spec.file, REQUIRED, [], this.rules);
  }

  next(row: TraceRow): boolean {
    if (!this.rows.next()) return false;
    const c = this.rows.cols!;
    const f = this.rows.fields;
    const r = this.rules;
    const stamp = f[c.TIMESTAMP] ?? '';
    if (!parseTimestamp(stamp, this.at)) {
      r.fail(`TIMESTAMP: expected a timestamp like 2023-11-16 18:17:03.9799600 (YYYY-MM-DD HH:MM:SS, up to 9 fractional digits); got ${shown(stamp)}`);
    }
    if (r.rowNo === 1) {
      this.sec0 = this.at.sec;
      this.nanos0 = this.at.nanos;
    }
    // Exact in doubles while the trace spans less than 2^53 ns (104 days).
    const deltaNs = (this.at.sec - this.sec0) * 1e9 + (this.at.nanos - this.nanos0);
    row.line = r.lineNo;
    row.timeMs = r.ordered(deltaNs / 1e6, stamp, 'TIMESTAMP');
    row.src = 'external';
    row.dst = this.spec.to;
    row.tokensIn = r.tokens(f[c.ContextTokens], 'ContextTokens', true);
    row.tokensOut = r.tokens(f[c.GeneratedTokens], 'GeneratedTokens', true);
    row.bytes = row.tokensIn * this.spec.bytesPerToken;
    row.kind = '';
    row.priority = -1;
    row.cls = -1;
    return true;
  }

  close(): void {
    this.rows.close();
  }
}
