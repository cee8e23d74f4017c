import type { EventQueue } from '../engine/event-queue.js';
import type { Stream } from '../engine/rng.js';
import { pickVictims } from '../faults/victims.js';
import type { CrashFault, FaultSpec, SlowFault } from '../scenario/types.js';
import type { CompiledRole } from './compile.js';
import { Ev } from './kinds.js';
import type { MeshState } from './mesh-state.js';

/** What a crash does to the messages an agent holds is the model's business. */
export interface CrashHandler {
  crash(a: number): void;
  repair(a: number): void;
}

/**
 * Drives the scenario's faults: schedules their windows (or, for recurring
 * crashes, each victim's up and down times), picks victims from the faults
 * stream, and applies the effects to the mesh state. Events are `Ev.Fault`
 * with a = fault index and b = −1 (window start), −2 (window end), or
 * agent·2 + phase for a recurring crash (phase 1 = repair).
 */
export class FaultDriver {
  private readonly victims: Array<Int32Array | null>;

  constructor(
    private readonly faults: readonly FaultSpec[],
    private readonly roles: readonly CompiledRole[],
    private readonly state: MeshState,
    private readonly rng: Stream,
    private readonly handler: CrashHandler,
  ) {
    this.victims = faults.map(() => null);
  }

  schedule(q: EventQueue): void {
    for (let i = 0; i < this.faults.length; i++) {
      const f = this.faults[i]!;
      if (f.kind === 'crash' && f.mtbf !== null && f.mttr !== null) {
        // Recurring crashes: each victim alternates Exp(mtbf) up, Exp(mttr) down.
        for (const a of this.victimsOf(i, f)) q.schedule(this.expMs(f.mtbf), Ev.Fault, i, a * 2);
        continue;
      }
      q.schedule(f.at, Ev.Fault, i, -1);
      if (Number.isFinite(f.at + f.for)) q.schedule(f.at + f.for, Ev.Fault, i, -2);
    }
  }

  onFault(i: number, b: number, nowMs: number, q: EventQueue): void {
    const f = this.faults[i]!;
    if (b >= 0) {
      const crash = f as CrashFault;
      const a = b >> 1;
      if ((b & 1) === 0) {
        this.handler.crash(a);
        q.schedule(nowMs + this.expMs(crash.mttr!), Ev.Fault, i, b | 1);
      } else {
        this.handler.repair(a);
        q.schedule(nowMs + this.expMs(crash.mtbf!), Ev.Fault, i, b & ~1);
      }
      return;
    }
    const start = b === -1;
    const s = this.state;
    switch (f.kind) {
      case 'crash':
        for (const a of this.victimsOf(i, f)) {
          if (start) this.handler.crash(a);
          else this.handler.repair(a);
        }
        break;
      case 'slow':
        for (const a of this.victimsOf(i, f)) s.slowFactor[a]! *= start ? f.factor : 1 / f.factor;
        break;
      case 'partition':
        for (const x of f.between[0]) {
          for (const y of f.between[1]) {
            const rx = this.roleIndex(x);
            const ry = this.roleIndex(y);
            for (const k of [rx * s.roles + ry, ry * s.roles + rx]) {
              if (start) {
                if (s.cut[k]!++ === 0) s.cutSince[k] = nowMs;
              } else {
                s.cut[k]!--;
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

  /** Victims of crash/slow fault `i`, picked once, when first needed. */
  victimsOf(i: number, f: CrashFault | SlowFault): Int32Array {
    let v = this.victims[i];
    if (!v) {
      const r = this.roles[this.roleIndex(f.target)]!;
      v = pickVictims(f, r.first, r.count, this.rng);
      this.victims[i] = v;
    }
    return v;
  }

  private roleIndex(name: string): number {
    const i = this.roles.findIndex((r) => r.name === name);
    if (i < 0) throw new Error(`fault names unknown role '${name}'`);
    return i;
  }

  private expMs(mean: number): number {
    return -mean * Math.log(1 - this.rng.next());
  }
}
