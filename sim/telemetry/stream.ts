/**
 * Spans streamed through the derivation a trace at a time. Spans are grouped
 * by trace id as they are read; a trace is complete when no span of it has
 * arrived for TRACE_IDLE_MS of input time (the latest span end read so far),
 * or at the end of the input, and is then folded into the derivation's
 * aggregates and its spans dropped. Memory holds the traces of the last idle
 * window, not the whole input, and holds them in columns (span-store.ts).
 *
 * A span arriving later than that after the rest of its trace starts a new
 * request (its parent is then missing and it is counted as an orphan); the
 * peak concurrency is exact when no span starts more than the idle window
 * before the latest end read. Inputs read whole (Alibaba CSV, whose spans are
 * only known once every row is read) pass `Infinity`: one batch at the end.
 */
import { Derivation, type Derived } from './derive.js';
import type { Diagnostics } from './diagnostics.js';
import type { LineSink } from './otlp-scan.js';
import type { Span } from './span.js';
import { SpanStore } from './span-store.js';

export const TRACE_IDLE_MS = 10_000;
/** Spans between two looks for complete traces (at least; more when many traces are open). */
const CHECK_EVERY = 20_000;

export class TraceStream {
  private readonly store = new SpanStore();
  private readonly dv: Derivation;
  private sinceCheck = 0;
  /** Spans added. */
  count = 0;

  constructor(diag: Diagnostics, windowMs = Infinity, private readonly idleMs = TRACE_IDLE_MS) {
    this.dv = new Derivation(diag, windowMs);
  }

  /** The traces' time resolution (Derivation `slackMs`), for the traces derived from now on. */
  set slackMs(ms: number) {
    this.dv.slackMs = ms;
  }

  readonly add = (s: Span): void => {
    this.count++;
    this.store.addSpan(s);
    this.check();
  };

  /** The n spans of a scanned line (otlp-scan.ts's columns): as `add` of each, without span objects. */
  readonly addLine: LineSink = (buf, st, n, where) => {
    const store = this.store;
    for (let i = 0; i < n; i++) {
      this.count++;
      store.addStaged(buf, st, i, where);
      this.check();
    }
  };

  /** Folds every open trace in and returns the derivation. */
  end(): Derived {
    const st = this.store;
    if (this.dv.started) for (let r = 0; r < st.traces; r++) this.dv.addTrace(st.takeReused(r));
    else {
      const rest: Span[][] = [];
      for (let r = 0; r < st.traces; r++) rest.push(st.take(r));
      this.dv.addTraces(rest);
    }
    st.compact(() => false);
    return this.dv.finish();
  }

  private check(): void {
    if (++this.sinceCheck >= CHECK_EVERY && this.sinceCheck >= this.store.traces && this.idleMs < Infinity) this.foldIdle();
  }

  private foldIdle(): void {
    this.sinceCheck = 0;
    const st = this.store;
    const cutoff = st.now - this.idleMs;
    // The first batch sets where the window starts (derive.ts); later traces are folded in one by one.
    const done: Span[][] | null = this.dv.started ? null : [];
    let folded = 0;
    let watermark = cutoff;
    for (let r = 0; r < st.traces; r++) {
      if (st.lastSeen[r]! < cutoff) {
        folded++;
        if (done === null) this.dv.addTrace(st.takeReused(r));
        else done.push(st.take(r));
      } else if (st.minStart[r]! < watermark) watermark = st.minStart[r]!;
    }
    if (folded === 0) return;
    st.compact((r) => !(st.lastSeen[r]! < cutoff));
    if (done !== null) this.dv.addTraces(done);
    this.dv.sweep(watermark);
  }
}
