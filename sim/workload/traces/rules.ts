/**
 * The checks every trace row passes, whatever its format (SPEC §4): names
 * that exist in the scenario, sizes and token counts >= 0, priorities 0..7,
 * known kinds, and times that never go backwards. Also the trace clock: times
 * are made relative to the first row (which arrives at 0) and divided by the
 * entry's `speedup`. Every failure is an InputError naming the file, the row
 * (`row N`, data rows counted from 1) and the file line.
 */
import { InputError, unknownName } from '../../scenario/errors.js';
import type { TraceWorkload } from '../../scenario/types.js';
import { NameCheck } from './names.js';
import type { TraceRow } from './row.js';
import { isMissing, numberOf, shown, textOf } from './values.js';

const KINDS = ['oneway', 'request'] as const;

export class RowRules {
  /** The row being read: 1-based data row number and file line (or span number). */
  rowNo = 0;
  lineNo = 0;
  private readonly names: NameCheck;
  /** The first row's time in the trace's own clock, ms (time_ms formats). */
  private t0 = 0;
  private prevDelta = 0;
  private prevShown = '';
  private prevRow = 0;
  private prevLine = 0;

  constructor(
    readonly file: string,
    private readonly spec: TraceWorkload,
    roleNames: readonly string[],
    roleCounts: readonly number[],
  ) {
    this.names = new NameCheck(roleNames, roleCounts);
  }

  /** Starts the next data row, found at `lineNo`. */
  begin(lineNo: number): void {
    this.rowNo++;
    this.lineNo = lineNo;
  }

  fail(detail: string): never {
    throw new InputError(this.file, `row ${this.rowNo}`, detail, this.lineNo);
  }

  /** A time in milliseconds of the trace's own clock → simulation ms after the first row. */
  timeMs(value: unknown, column: string): number {
    if (isMissing(value)) this.fail(`${column}: required; expected a time in milliseconds`);
    const t = numberOf(value);
    if (Number.isNaN(t)) this.fail(`${column}: expected a time in milliseconds (a number); got ${shown(value)}`);
    if (this.rowNo === 1) this.t0 = t;
    return this.ordered(t - this.t0, typeof value === 'string' ? value.trim() : String(value), column);
  }

  /**
   * Checks that `deltaMs` (this row's time minus the first row's, in the
   * trace's own ms) does not go back, and returns it in simulation ms.
   * `raw` is the time as written, for the message.
   */
  ordered(deltaMs: number, raw: string, column: string): number {
    if (this.rowNo > 1 && deltaMs < this.prevDelta) {
      this.fail(
        `${column}: expected rows in time order; ${raw} (this row) is earlier than ${this.prevShown} (row ${this.prevRow}, line ${this.prevLine})`,
      );
    }
    this.prevDelta = deltaMs;
    this.prevShown = raw;
    this.prevRow = this.rowNo;
    this.prevLine = this.lineNo;
    return deltaMs / this.spec.speedup;
  }

  /** 'external', a role or an agent; not given → the entry's `from`. */
  src(value: unknown, column = 'src'): string {
    if (isMissing(value)) return this.spec.from;
    const name = textOf(value);
    if (name === null) this.fail(`${column}: expected 'external', a role or an agent name (role#i); got ${shown(value)}`);
    if (name === 'external') return name;
    const problem = this.names.problem(name);
    if (problem !== null) this.fail(`${column}: ${problem}`);
    return name;
  }

  /** A role or an agent; not given → '' (the entry's `to` applies), allowed only when the entry has a `to`. */
  dst(value: unknown, column = 'dst'): string {
    if (isMissing(value)) {
      if (this.spec.to === '') this.fail(`${column}: required (the workload entry has no 'to'); expected a role or an agent name (role#i)`);
      return '';
    }
    const name = textOf(value);
    if (name === null) this.fail(`${column}: expected a role or an agent name (role#i); got ${shown(value)}`);
    const problem = this.names.problem(name);
    if (problem !== null) this.fail(`${column}: ${problem}`);
    return name;
  }

  /** Message size, bytes (>= 0; fractions allowed). */
  bytes(value: unknown, column = 'bytes'): number {
    if (isMissing(value)) this.fail(`${column}: required; expected a size in bytes >= 0`);
    const n = numberOf(value);
    if (!(n >= 0)) this.fail(`${column}: expected a size in bytes >= 0; got ${shown(value)}`);
    return n;
  }

  /** A whole number of tokens >= 0; not given → -1 (unless required). */
  tokens(value: unknown, column: string, required = false): number {
    if (isMissing(value)) {
      if (required) this.fail(`${column}: required; expected a whole number of tokens >= 0`);
      return -1;
    }
    const n = numberOf(value);
    if (!(n >= 0) || !Number.isInteger(n)) this.fail(`${column}: expected a whole number of tokens >= 0; got ${shown(value)}`);
    return n;
  }

  /** 0 (lowest) … 7; not given → -1. */
  priority(value: unknown, column = 'priority'): number {
    if (isMissing(value)) return -1;
    const n = numberOf(value);
    if (!Number.isInteger(n) || n < 0 || n > 7) this.fail(`${column}: expected a whole number from 0 to 7; got ${shown(value)}`);
    return n;
  }

  /** A class the entry lists in `classes`, as its index there; not given → -1 (the entry's `class`). */
  cls(value: unknown, column = 'class'): number {
    if (isMissing(value)) return -1;
    const name = textOf(value);
    const classes = this.spec.classes;
    const i = name === null ? -1 : classes.indexOf(name);
    if (i >= 0) return i;
    if (classes.length === 0) {
      this.fail(`${column}: this entry lists no classes its rows may name; add classes: [${name ?? '…'}] to the workload entry, or leave the column empty`);
    }
    if (name === null) this.fail(`${column}: expected one of the entry's classes (${classes.join(', ')}); got ${shown(value)}`);
    this.fail(`${column}: ${unknownName('class', name, "the entry's classes", classes)}`);
  }

  /** 'oneway' or 'request'; not given → '' (the entry decides). */
  kind(value: unknown, column = 'kind'): TraceRow['kind'] {
    if (isMissing(value)) return '';
    const k = textOf(value);
    if (k === 'oneway' || k === 'request') return k;
    if (k === null) this.fail(`${column}: expected one of ${KINDS.join(', ')} (or nothing); got ${shown(value)}`);
    this.fail(`${column}: ${unknownName('kind', k, 'kinds', KINDS)} (or leave it empty)`);
  }
}
