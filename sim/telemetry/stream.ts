/**
 * Spans streamed through the derivation a trace at a time. Spans are grouped
 * by trace id as they are read; a trace is complete when no span of it has
 * arrived for TRACE_IDLE_MS of input time (the latest span end read so far),
 * or at the end of the input, and is then folded into the derivation's
 * aggregates and its spans dropped. Memory holds the traces of the last idle
 * window, not the whole input.
 *
 * A span arriving later than that after the rest of its trace starts a new
 * request (its parent is then missing and it is counted as an orphan); the
 * peak concurrency is exact when no span starts more than the idle window
 * before the latest end read. Inputs read whole (Alibaba CSV, whose spans are
 * only known once every row is read) pass `Infinity`: one batch at the end.
 */
import { Derivation, type Derived } from './derive.js';
import type { Diagnostics } from './diagnostics.js';
import type { Span } from './span.js';

export const TRACE_IDLE_MS = 10_000;
/** Spans between two looks for complete traces (at least; more when many traces are open). */
const CHECK_EVERY = 20_000;

interface Open {
  spans: Span[];
  /** Input time when its last span arrived. */
  lastSeen: number;
  /** Its earliest span start. */
  minStart: number;
}

export class TraceStream {
  private readonly open = new Map<string, Open>();
  private readonly dv: Derivation;
  private now = -Infinity;
  private sinceCheck = 0;
  /** Spans added. */
  count = 0;

  constructor(diag: Diagnostics, windowMs = Infinity, private readonly idleMs = TRACE_IDLE_MS) {
    this.dv = new Derivation(diag, windowMs);
  }

  readonly add = (s: Span): void => {
    this.count++;
    if (s.endMs > this.now) this.now = s.endMs;
    const o = this.open.get(s.traceId);
    if (o === undefined) this.open.set(s.traceId, { spans: [s], lastSeen: this.now, minStart: s.startMs });
    else {
      o.spans.push(s);
      o.lastSeen = this.now;
      if (s.startMs < o.minStart) o.minStart = s.startMs;
    }
    if (++this.sinceCheck >= CHECK_EVERY && this.sinceCheck >= this.open.size && this.idleMs < Infinity) this.foldIdle();
  };

  /** Folds every open trace in and returns the derivation. */
  end(): Derived {
    const rest: Span[][] = [];
    for (const o of this.open.values()) rest.push(o.spans);
    this.open.clear();
    this.dv.addTraces(rest);
    return this.dv.finish();
  }

  private foldIdle(): void {
    this.sinceCheck = 0;
    const cutoff = this.now - this.idleMs;
    const done: Span[][] = [];
    let watermark = cutoff;
    for (const [id, o] of this.open) {
      if (o.lastSeen < cutoff) {
        done.push(o.spans);
        this.open.delete(id);
      } else if (o.minStart < watermark) watermark = o.minStart;
    }
    if (done.length === 0) return;
    this.dv.addTraces(done);
    this.dv.sweep(watermark);
  }
}
