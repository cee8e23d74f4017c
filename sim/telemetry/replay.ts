/**
 * A scenario driven by the trace's own arrivals (SPEC §11.3): each request of
 * the trace, at the time its root span started, becomes one message of the
 * scenario's workload entry for its path, replayed through the workload trace
 * replay (`pattern: trace`, format csv: sim/workload/traces). So fidelity
 * compares the model's services and call structure under the load the mesh
 * actually saw, not under the fitted arrival process as well.
 *
 * Matching: an entry `from: external` (poisson, bursty or diurnal) stands for
 * the path `to` + `then` with its parallel groups, in role names (infer.ts's
 * roleNames); a trace's path is renamed and cut to 31 stages as the importer
 * cuts it, and both are compared by the one path key (path-key.ts); a path
 * a hand-off join left another reading of goes to that reading's entry when
 * it has none of its own. A request whose path no entry
 * stands for (a rarer path the importer spread over the written ones, or an
 * edited scenario) goes to the entries in proportion to their rates, by a
 * smooth weighted round robin: deterministic, and the shares are kept. Other
 * entries (closed, trace, or from a role) are left as they are, and a
 * request on the path one of them stands for is theirs: not replayed (their
 * own workload sends it), nor spread over the replayed entries. A message's
 * size is drawn from its entry's size distribution (the trace's request
 * sizes are fitted, not kept per request), from a stream of the run's seed.
 *
 * Time: the first request comes when the scenario's warm-up ends, and the
 * run lasts the warm-up plus the trace's window ((last − first) · n/(n − 1),
 * as the importer's `duration`): every request of the trace is measured in
 * the model too, and throughputs compare over the same length.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Sampler, Stream } from '../engine/index.js';
import type { Scenario, TraceWorkload, WorkloadSpec } from '../scenario/types.js';
import type { Derived } from './derive.js';
import { roleNames } from './infer.js';
import { cutPath, parsePathKey, pathKey, renamePath, splitReadings, workloadPath } from './path-key.js';
/** The random stream's purpose for replayed sizes (apart from the simulation's streams). */
const SIZE_PURPOSE = 0x7265706c;

export interface Replay {
  scenario: Scenario;
  /** Requests replayed, and those on paths no entry stands for (spread over the entries). */
  requests: number;
  spread: number;
  /** Requests on the path of an entry left as it is (from a role, closed, a trace): that entry's own workload stands for them, so they are not replayed. */
  kept: number;
  /** Entries replaced by a replay. */
  replaced: number;
}

const REPLACED = new Set<WorkloadSpec['pattern']>(['poisson', 'bursty', 'diurnal']);

/** The scenario left to its own workload: nothing replayed. */
export function noReplay(sc: Scenario): Replay {
  return { scenario: sc, requests: 0, spread: 0, kept: 0, replaced: 0 };
}

/** The scenario with its external open-loop entries replaced by replays of `traced`'s requests; CSV files go to `dir`. */
export function replayScenario(sc: Scenario, traced: Derived, dir: string, seed: number): Replay {
  const entries = sc.workload.map((w, i) => ({ w, i })).filter(({ w }) => w.from === 'external' && REPLACED.has(w.pattern));
  const n = traced.requestStartsMs.length;
  if (entries.length === 0 || n === 0) return noReplay(sc);
  const names = roleNames([...traced.services.keys()]);
  const byKey = new Map<string, number>();
  entries.forEach(({ w }, e) => {
    const key = pathKey(workloadPath(w));
    if (!byKey.has(key)) byKey.set(key, e);
  });
  // Paths of the entries left as they are: their requests are theirs, not the replayed entries' to take.
  const keptKeys = new Set(sc.workload.filter((w) => !(w.from === 'external' && REPLACED.has(w.pattern))).map((w) => pathKey(workloadPath(w))));
  const KEPT = -2;
  // Trace path (service names) → entry, KEPT for a path a kept entry stands for, or -1.
  const entryOf = (p: string): number => {
    const key = pathKey(cutPath(renamePath(parsePathKey(p), (s) => names.get(s) ?? s)).path);
    return byKey.get(key) ?? (keptKeys.has(key) ? KEPT : -1);
  };
  // A hand-off join read two ways (derive.ts readings): a path no entry stands for goes to the entry of another reading, the most common first.
  const otherReadings = new Map<string, Array<[string, number]>>();
  for (const [key, r] of traced.readings) {
    const [first, ...others] = splitReadings(key);
    const list = otherReadings.get(first!) ?? [];
    for (const k of others) list.push([k, r.requests]);
    otherReadings.set(first!, list);
  }
  const pathEntry = traced.pathList.map((p) => {
    const e = entryOf(p);
    if (e >= 0 || e === KEPT) return e;
    const others = (otherReadings.get(p) ?? []).sort((a, b) => b[1] - a[1]);
    for (const [k] of others) {
      const o = entryOf(k);
      if (o >= 0) return o;
    }
    return -1;
  });
  // Requests in order of start (ties in the order read).
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => traced.requestStartsMs[a]! - traced.requestStartsMs[b]! || a - b);
  const t0 = traced.requestStartsMs[order[0]!]!;
  const weights = entries.map(({ w }) => ('rate' in w ? w.rate : 1));
  const credit = weights.map(() => 0);
  const total = weights.reduce((a, b) => a + b, 0);
  const times: number[][] = entries.map(() => []);
  let spread = 0;
  let kept = 0;
  for (const i of order) {
    const pid = traced.requestPaths[i]!;
    let e = pid >= 0 ? pathEntry[pid]! : -1;
    if (e === KEPT) {
      kept++;
      continue;
    }
    if (e < 0) {
      spread++;
      // Smooth weighted round robin (nginx): each entry gains its weight, the richest is picked and pays the total.
      let best = 0;
      for (let k = 0; k < credit.length; k++) {
        credit[k] = credit[k]! + weights[k]!;
        if (credit[k]! > credit[best]!) best = k;
      }
      credit[best] = credit[best]! - total;
      e = best;
    }
    times[e]!.push(sc.warmup + traced.requestStartsMs[i]! - t0);
  }
  const last = traced.requestStartsMs[order[n - 1]!]! - t0;
  const windowMs = n > 1 && last > 0 ? (last * n) / (n - 1) : 1000;
  const durationMs = sc.warmup + windowMs;
  const workload = sc.workload.slice();
  const drop = new Set<number>();
  entries.forEach(({ w, i }, e) => {
    const ts = times[e]!;
    if (ts.length === 0) {
      drop.add(i);
      return;
    }
    const sizes = new Sampler(w.size);
    const u = new Stream(seed, SIZE_PURPOSE + e);
    const first = ts[0]!;
    const rows = ['time_ms,src,dst,bytes'];
    for (const t of ts) rows.push(`${t - first},external,${w.to},${sizes.sample(u)}`);
    const file = path.join(dir, `replay-${e}.csv`);
    writeFileSync(file, `${rows.join('\n')}\n`);
    const { from, to, size, reply, then, parallel, stop, priority, keys, fanout } = w;
    const replay: TraceWorkload = {
      pattern: 'trace', from, to, size, reply, then, parallel, start: first, stop, priority, keys, fanout,
      file, format: 'csv', speedup: 1, bytesPerToken: 1, classes: [],
      ...(w.class !== undefined ? { class: w.class } : {}),
    };
    if (replay.stop > durationMs || replay.stop === sc.duration) replay.stop = durationMs;
    workload[i] = replay;
  });
  return {
    scenario: { ...sc, duration: durationMs, workload: workload.filter((_, i) => !drop.has(i)) },
    requests: n,
    spread,
    kept,
    replaced: entries.length,
  };
}
