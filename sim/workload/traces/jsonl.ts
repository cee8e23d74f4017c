/**
 * The `jsonl` trace format (SPEC §4): one JSON object per line with the csv
 * format's field names (time_ms, src, dst, bytes; optionally kind, priority,
 * tokens_in, tokens_out). Numbers may be JSON numbers or numeric strings; null
 * or an absent field = not given. Blank lines are skipped; other fields are
 * ignored unless the name is a likely typo of a known one.
 */
import { closest } from '../../scenario/errors.js';
import type { TraceWorkload } from '../../scenario/types.js';
import { CSV_OPTIONAL, CSV_REQUIRED } from './csv.js';
import { LineReader } from './lines.js';
import type { TraceCursor, TraceRow } from './row.js';
import { RowRules } from './rules.js';
import { shown } from './values.js';

const KNOWN: readonly string[] = [...CSV_REQUIRED, ...CSV_OPTIONAL];

export class JsonlCursor implements TraceCursor {
  private readonly lines: LineReader;
  private readonly rules: RowRules;
  /** Field names already found harmless (known, or not close to a known one). */
  private readonly keysSeen = new Set<string>(KNOWN);

  constructor(spec: TraceWorkload, roleNames: readonly string[], roleCounts: readonly number[]) {
    this.rules = new RowRules(spec.file, spec, roleNames, roleCounts);
    this.lines = new LineReader(spec.file);
  }

  next(row: TraceRow): boolean {
    const text = this.lines.nextFilled();
    if (text === null) return false;
    const r = this.rules;
    r.begin(this.lines.lineNo);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      r.fail(`expected one JSON object per line; ${err instanceof Error ? err.message : String(err)}`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      r.fail(`expected a JSON object like {"time_ms": 0, "src": "external", "dst": "worker", "bytes": 1000}; got ${shown(value)}`);
    }
    const o = value as Record<string, unknown>;
    this.checkKeys(o);
    row.line = r.lineNo;
    row.timeMs = r.timeMs(o.time_ms, 'time_ms');
    row.src = r.src(o.src);
    row.dst = r.dst(o.dst);
    row.bytes = r.bytes(o.bytes);
    row.kind = r.kind(o.kind);
    row.priority = r.priority(o.priority);
    row.cls = r.cls(o.class);
    row.tokensIn = r.tokens(o.tokens_in, 'tokens_in');
    row.tokensOut = r.tokens(o.tokens_out, 'tokens_out');
    return true;
  }

  close(): void {
    this.lines.close();
  }

  private checkKeys(o: Record<string, unknown>): void {
    for (const key in o) {
      if (this.keysSeen.has(key)) continue;
      const guess = closest(key, KNOWN);
      if (guess !== null) this.rules.fail(`unknown field '${key}' (did you mean '${guess}'?); fields are: ${KNOWN.join(', ')}`);
      this.keysSeen.add(key);
    }
  }
}
