import type { EventQueue } from '../engine/event-queue.js';
import { Purpose, Stream } from '../engine/rng.js';
import { pickVictims } from '../faults/victims.js';
import type { CrashFault, FaultSpec, SlowFault } from '../scenario/types.js';
import type { CompiledRole } from './compile.js';
import { Ev } from './kinds.js';
import type { MeshState } from './mesh-state.js';

/** What a crash does to the messages an agent holds is the model's business. */
export interface CrashHandler {
  crash(a: number): void;
  repair(a: number): void;
  /**
   * Whether agent `a` of an autoscaled role runs (starting, ready or
   * draining); absent when no role autoscales. A crash or slow fault's
   * `count` and `fraction` pick among the replicas running when it starts.
   */
  running?(a: number): boolean;
}

/**
 * Drives the scenario's faults: schedules their windows (or, for recurring
 * crashes, each victim's up and down times inside the window), picks victims,
 * and applies the effects to the mesh state. Each fault draws from its own
 * stream, so adding a fault changes no other fault's victims or timing.
 * Events are `Ev.Fault` with a = fault index and b = −1 (window start), −2
 * (window end), or agent·2 + phase for a recurring crash (phase 1 = repair).
 */
export class FaultDriver {
  private readonly victims: Array<Int32Array | null>;
  private readonly rngs: Stream[];
  /** Recurring crashes: victims currently down by fault i (agent → true). */
  private readonly recurringDown: Array<Set<number>>;

  constructor(
    private readonly faults: readonly FaultSpec[],
    private readonly roles: readonly CompiledRole[],
    private readonly state: MeshState,
    seed: number,
    private readonly handler: CrashHandler,
  ) {
    this.victims = faults.map(() => null);
    // A fault's stream is keyed by what the fault is (and which of identical
    // faults), not its position: inserting a fault shifts no other's stream.
    const seen = new Map<string, number>();
    this.rngs = faults.map((f) => {
      const text = JSON.stringify(f);
      const occurrence = seen.get(text) ?? 0;
      seen.set(text, occurrence + 1);
      return new Stream(seed, Purpose.faults + ((fnv1a(text) + occurrence * 7919) & 0x3fffffff));
    });
    this.recurringDown = faults.map(() => new Set());
  }

  schedule(q: EventQueue): void {
    for (let i = 0; i < this.faults.length; i++) {
      const f = this.faults[i]!;
      if (isRecurring(f)) {
        // Recurring crashes: from `at`, each victim alternates Exp(mtbf) up
        // and Exp(mttr) down; at `at + for` every victim still down recovers.
        // An autoscaled role's victims are picked when the window opens, among
        // the replicas running then; another role's are the same at any time.
        if (this.scaledTarget(f)) q.schedule(f.at, Ev.Fault, i, -1);
        else this.firstFailures(i, f, f.at, q);
      } else {
        q.schedule(f.at, Ev.Fault, i, -1);
      }
      if (Number.isFinite(f.at + f.for)) q.schedule(f.at + f.for, Ev.Fault, i, -2);
    }
  }

  onFault(i: number, b: number, nowMs: number, q: EventQueue): void {
    const f = this.faults[i]!;
    if (isRecurring(f)) return this.onRecurring(i, f, b, nowMs, q);
    this.onWindow(i, f, b === -1, nowMs);
  }

  private onRecurring(i: number, f: CrashFault, b: number, nowMs: number, q: EventQueue): void {
    const down = this.recurringDown[i]!;
    const end = f.at + f.for;
    if (b === -2) {
      for (const a of down) this.handler.repair(a);
      down.clear();
      return;
    }
    if (nowMs >= end) return;
    if (b === -1) return this.firstFailures(i, f, nowMs, q);
    const a = b >> 1;
    if ((b & 1) === 0) {
      // A replica the autoscaler stopped does not fail; it may fail once it runs again.
      if (this.scaledTarget(f) && this.handler.running?.(a) === false) {
        q.schedule(nowMs + this.expMs(i, f.mtbf!), Ev.Fault, i, b);
        return;
      }
      this.handler.crash(a);
      down.add(a);
      q.schedule(nowMs + this.expMs(i, f.mttr!), Ev.Fault, i, b | 1);
    } else {
      this.handler.repair(a);
      down.delete(a);
      q.schedule(nowMs + this.expMs(i, f.mtbf!), Ev.Fault, i, b & ~1);
    }
  }

  /** Picks a recurring crash's victims and schedules the first failure of each, from `fromMs`. */
  private firstFailures(i: number, f: CrashFault, fromMs: number, q: EventQueue): void {
    for (const a of this.victimsOf(i, f)) q.schedule(fromMs + this.expMs(i, f.mtbf!), Ev.Fault, i, a * 2);
  }

  /** Whether fault `f` targets an autoscaled role (whose running replicas change). */
  private scaledTarget(f: CrashFault | SlowFault): boolean {
    return this.handler.running !== undefined && this.roles[this.roleIndex(f.target)]!.autoscaled;
  }

  private onWindow(i: number, f: FaultSpec, start: boolean, nowMs: number): void {
    const s = this.state;
    switch (f.kind) {
      case 'crash':
        for (const a of this.victimsOf(i, f)) {
          if (start) this.handler.crash(a);
          else this.handler.repair(a);
        }
        break;
      case 'slow':
        for (const a of this.victimsOf(i, f)) s.slow(a, start ? f.factor : 1 / f.factor);
        break;
      case 'partition':
        for (const x of f.between[0]) {
          for (const y of f.between[1]) {
            const rx = this.roleIndex(x);
            const ry = this.roleIndex(y);
            for (const k of [rx * s.roles + ry, ry * s.roles + rx]) {
              if (start) {
                if (s.cut[k]!++ === 0) {
                  s.cutSince[k] = nowMs;
                  s.cutPairs++;
                }
              } else if (--s.cut[k]! === 0) {
                s.cutPairs--;
              }
            }
          }
        }
        break;
      case 'loss':
        s.extraLoss += start ? f.rate : -f.rate;
        if (!start && Math.abs(s.extraLoss) < 1e-12) s.extraLoss = 0;
        break;
      case 'latency':
        s.latencyFactor *= start ? f.factor : 1 / f.factor;
        break;
    }
  }

  /** Per fault: the agents it hit, or null when it hits no replica or its window never opened. */
  picked(): Array<Int32Array | null> {
    return this.victims.slice();
  }

  /** Victims of crash/slow fault `i`, picked once, when first needed. */
  victimsOf(i: number, f: CrashFault | SlowFault): Int32Array {
    let v = this.victims[i];
    if (!v) {
      const r = this.roles[this.roleIndex(f.target)]!;
      let among: Int32Array | null = null;
      if (this.scaledTarget(f) && f.zone === null) {
        // An autoscaled role's layout holds replicas that do not run: a crash of two hits two that do.
        const up: number[] = [];
        const idle: number[] = [];
        for (let a = r.first; a < r.first + r.count; a++) (this.handler.running?.(a) === true ? up : idle).push(a);
        among = Int32Array.from(up);
        if (isRecurring(f) && f.fraction !== null) {
          // Recurring failures are the fleet's, not an instant's: the same
          // share of the replicas not running yet fails too once the
          // autoscaler starts them (a victim fails only while it runs).
          const rng = this.rngs[i]!;
          v = joined(pickVictims(f, r.first, r.count, rng, among), pickVictims(f, r.first, r.count, rng, Int32Array.from(idle)));
        }
      }
      v ??= pickVictims(f, r.first, r.count, this.rngs[i]!, among);
      this.victims[i] = v;
    }
    return v;
  }

  private roleIndex(name: string): number {
    const i = this.roles.findIndex((r) => r.name === name);
    if (i < 0) throw new Error(`fault names unknown role '${name}'`);
    return i;
  }

  private expMs(i: number, mean: number): number {
    return -mean * Math.log(1 - this.rngs[i]!.next());
  }
}

/** 32-bit FNV-1a hash of a string (Fowler, Noll, Vo). */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Two ascending agent lists as one, ascending. */
function joined(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out.sort();
}

function isRecurring(f: FaultSpec): f is CrashFault {
  return f.kind === 'crash' && f.mtbf !== null && f.mttr !== null;
}
