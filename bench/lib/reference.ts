/**
 * The machine's yardstick: a fixed PHOLD workload (Fujimoto 1990) that the
 * scenario benchmark runs next to every scenario sample, so that timings can
 * be expressed in "reference units" and compared across machines.
 *
 * It is deliberately self-contained — its own binary heap, its own
 * xorshift generator, no import from sim/ — so that it measures the machine
 * and the JavaScript engine, never the code under test: a slower event queue
 * in sim/engine must show up as a slower scenario, not be divided away.
 * Changing anything here changes every normalised figure; retake the
 * committed baselines (results/baselines/scenarios-quick.json) if you do.
 */

/** Events per reference run: about 0.1–0.3 s on a 2020s server core. */
export const REFERENCE_EVENTS = 2_000_000;
/** Logical processes, as in bench/micro.ts's PHOLD task. */
const LPS = 500;
/** Seed of the generator; fixed, so every run does identical work. */
const SEED = 0x9e3779b9;

/** One timed reference run. */
export interface ReferenceRun {
  /** Events dispatched (always REFERENCE_EVENTS). */
  events: number;
  /** Wall time, ms. */
  wallMs: number;
  /** CPU time of the process meanwhile (user + system, all threads), ms. */
  cpuMs: number;
  /** Simulated clock at the end; depends on every event, so no work is dead code. */
  checksum: number;
}

/**
 * Runs PHOLD with LPS logical processes, one event each in flight, Exp(1)
 * delays in simulated ms, for `events` events, and times it with
 * performance.now() and process.cpuUsage().
 */
export function runReference(events: number = REFERENCE_EVENTS): ReferenceRun {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const checksum = phold(events);
  const wallMs = performance.now() - t0;
  return { events, wallMs, cpuMs: cpuMsSince(c0), checksum };
}

/** CPU time (user + system) of this process since `start`, ms. */
export function cpuMsSince(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}

function phold(events: number): number {
  // xorshift32 (Marsaglia 2003); the state lives in a local for speed.
  let s = SEED | 0;
  const uniform = (): number => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return ((s >>> 0) + 0.5) / 4294967296;
  };
  // Min-heap of (time, lp) in two parallel arrays; the pending count stays LPS.
  const time = new Float64Array(LPS);
  const lp = new Int32Array(LPS);
  let n = 0;
  const push = (t: number, who: number): void => {
    let i = n++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (time[p]! <= t) break;
      time[i] = time[p]!;
      lp[i] = lp[p]!;
      i = p;
    }
    time[i] = t;
    lp[i] = who;
  };
  for (let k = 0; k < LPS; k++) push(-Math.log(uniform()), k);
  const visits = new Float64Array(LPS);
  let now = 0;
  for (let e = 0; e < events; e++) {
    // Pop the root, then sift the last element down from it.
    now = time[0]!;
    const who = lp[0]!;
    const lastT = time[--n]!;
    const lastLp = lp[n]!;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && time[c + 1]! < time[c]!) c++;
      if (time[c]! >= lastT) break;
      time[i] = time[c]!;
      lp[i] = lp[c]!;
      i = c;
    }
    time[i] = lastT;
    lp[i] = lastLp;
    // Handle: count the visit, send one event to a random LP.
    visits[who]! += 1;
    const to = Math.floor(uniform() * LPS);
    push(now - Math.log(uniform()), to);
  }
  return now + visits[0]!;
}
