/**
 * Outlier ejection (Envoy's `consecutive_5xx`): after `consecutiveErrors`
 * failed calls in a row, a replica leaves the balancer's rotation for
 * `ejectForMs`, unless that would eject more than `maxEjected` (a fraction)
 * of its role — the panic guard that keeps a role from ejecting itself empty.
 */
export interface OutlierSettings {
  consecutiveErrors: number;
  ejectForMs: number;
  maxEjected: number;
}

export class OutlierDetector {
  private readonly errors: Int32Array;
  private readonly ejectedUntil: Float64Array;
  /** Ejections made. */
  ejections = 0;

  constructor(
    agents: number,
    private readonly roleFirst: Int32Array,
    private readonly roleCount: Int32Array,
    private readonly roleOf: Int32Array,
    private readonly s: OutlierSettings,
  ) {
    this.errors = new Int32Array(agents);
    this.ejectedUntil = new Float64Array(agents);
  }

  isEjected(a: number, nowMs: number): boolean {
    return this.ejectedUntil[a]! > nowMs;
  }

  onResult(a: number, ok: boolean, nowMs: number): void {
    if (ok) {
      this.errors[a] = 0;
      return;
    }
    if (++this.errors[a]! < this.s.consecutiveErrors || this.isEjected(a, nowMs)) return;
    const r = this.roleOf[a]!;
    const first = this.roleFirst[r]!;
    const count = this.roleCount[r]!;
    let ejected = 0;
    for (let i = first; i < first + count; i++) if (this.ejectedUntil[i]! > nowMs) ejected++;
    // As Envoy does, at least one replica may be ejected when the role has several.
    const limit = count > 1 ? Math.max(1, Math.floor(this.s.maxEjected * count)) : 0;
    if (ejected + 1 > limit) return;
    this.ejectedUntil[a] = nowMs + this.s.ejectForMs;
    this.errors[a] = 0;
    this.ejections++;
  }
}
