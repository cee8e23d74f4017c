/**
 * Candidates in the unit hypercube. Strategies work on points u ∈ [0, 1]^d;
 * this file turns a point into a configuration and back:
 *
 * - real ranges map linearly or on a log scale, and keep 4 significant
 *   digits (so that a configuration reads well and decodes to itself);
 * - integer ranges give each whole number an equal share of [0, 1]
 *   (the range is widened by ½ on each side before rounding, as Optuna does
 *   for its discrete distributions);
 * - choices split [0, 1] into equal cells;
 * - an inactive dimension (its condition is false) leaves the configuration
 *   untouched and encodes as ½;
 * - a headroom dimension (an autoscaler's max over its min) sets its knob to
 *   the other setting plus its value, and encodes as the difference.
 */
import type { MeshConfig } from '../scenario/types.js';
import { cloneConfig, deletePath, ensureBlock, getPath, setPath } from './config-paths.js';
import { effectiveValue, type Dim, type GateDim, type Value } from './space-table.js';
import { holds, type SearchSpace } from './space.js';

/** Significant digits kept on real-valued knobs. */
const DIGITS = 4;

const clamp01 = (u: number): number => (u < 0 ? 0 : u > 1 ? 1 : Number.isNaN(u) ? 0.5 : u);

/** The value of one dimension at unit coordinate u. */
export function decodeValue(d: Dim, u: number): Value {
  u = clamp01(u);
  if (d.kind === 'gate' || d.kind === 'choice') {
    const k = d.values.length;
    return d.values[Math.min(k - 1, Math.floor(u * k))]!;
  }
  if (d.min === d.max) return d.min;
  if (d.kind === 'int') {
    const [lo, hi] = intBounds(d.min, d.max, d.log);
    const x = lo + u * (hi - lo);
    const v = Math.round(d.log ? Math.exp(x) : x);
    return Math.min(d.max, Math.max(d.min, v));
  }
  const x = d.log ? Math.exp(Math.log(d.min) + u * (Math.log(d.max) - Math.log(d.min))) : d.min + u * (d.max - d.min);
  const r = Number(x.toPrecision(DIGITS));
  return Math.min(d.max, Math.max(d.min, r));
}

/** The unit coordinate of a value (the centre of its cell for choices and integers). */
export function encodeValue(d: Dim, v: unknown): number {
  if (d.kind === 'gate' || d.kind === 'choice') {
    const k = d.values.length;
    let i = d.values.findIndex((x) => x === v);
    if (i < 0) i = nearestIndex(d.values, v);
    return (i + 0.5) / k;
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) return 0.5;
  if (d.min === d.max) return 0.5;
  const x = Math.min(d.max, Math.max(d.min, v));
  if (d.kind === 'int') {
    const [lo, hi] = intBounds(d.min, d.max, d.log);
    return clamp01(((d.log ? Math.log(x) : x) - lo) / (hi - lo));
  }
  if (d.log) return clamp01((Math.log(x) - Math.log(d.min)) / (Math.log(d.max) - Math.log(d.min)));
  return clamp01((x - d.min) / (d.max - d.min));
}

function intBounds(min: number, max: number, log: boolean): [number, number] {
  return log ? [Math.log(min - 0.5 > 0 ? min - 0.5 : min / 2), Math.log(max + 0.5)] : [min - 0.5, max + 0.5];
}

/** For a value not among a choice's values: the nearest number, else the first value. */
function nearestIndex(values: readonly Value[], v: unknown): number {
  if (typeof v !== 'number') return 0;
  let best = 0;
  let bestD = Infinity;
  values.forEach((x, i) => {
    if (typeof x === 'number' && Math.abs(x - v) < bestD) {
      best = i;
      bestD = Math.abs(x - v);
    }
  });
  return best;
}

/** Which dimensions are active, given every dimension's value (parents come first). */
export function activeOf(space: SearchSpace, values: readonly Value[]): boolean[] {
  const index = new Map(space.dims.map((d, i) => [d.name, i]));
  const active: boolean[] = [];
  for (const d of space.dims) {
    if (d.when === null) {
      active.push(true);
      continue;
    }
    const p = index.get(d.when.dim);
    active.push(p !== undefined && active[p] === true && holds(d.when, values[p]));
  }
  return active;
}

export interface Decoded {
  values: Value[];
  active: boolean[];
  /** The full configuration: the candidate merged over the scenario's. */
  config: MeshConfig;
}

export function decode(space: SearchSpace, point: readonly number[]): Decoded {
  const values = space.dims.map((d, i) => decodeValue(d, point[i] ?? 0.5));
  const active = activeOf(space, values);
  const config = cloneConfig(space.base);
  space.dims.forEach((d, i) => {
    if (!active[i]) return;
    const v = values[i]!;
    if (d.kind === 'gate') {
      if (v === 'off') {
        for (const p of d.clears) deletePath(config, p);
        return;
      }
      if (d.block !== null) ensureBlock(config, d.block);
      for (const [p, x] of d.writes[String(v)] ?? []) setPath(config, p, x);
      return;
    }
    if (d.kind !== 'choice' && d.headroom !== undefined) {
      // Over the setting as decoded so far (dimensions come in order), or as the base has it.
      const { over, floor, cap } = d.headroom;
      setPath(config, d.path, Math.min(cap, Math.max(floor, Number(effectiveValue(config, over)) + Number(v))));
      return;
    }
    setPath(config, d.path, v);
  });
  repair(config);
  return { values, active, config };
}

/**
 * Keeps a decoded configuration valid where two knobs constrain each other:
 * the backoff cap may not be below its base (the configuration schema's rule).
 */
export function repair(config: MeshConfig): void {
  const r = config.retry;
  if (r?.base !== undefined && r.cap !== undefined && r.base > r.cap) r.cap = r.base;
}

/** Every dimension's value in a configuration (gates by their state, knobs at their effective value). */
function valuesOf(space: SearchSpace, config: MeshConfig): Value[] {
  return space.dims.map((d): Value => {
    if (d.kind === 'gate') return d.stateOf(config);
    if (d.kind !== 'choice' && d.headroom !== undefined) {
      return Number(effectiveValue(config, d.path)) - Number(effectiveValue(config, d.headroom.over));
    }
    const v = effectiveValue(config, d.path);
    return (v === undefined ? null : v) as Value;
  });
}

/**
 * The configuration with every knob whose dimension is inactive in it put
 * back as it is in the scenario's configuration (a backoff base without
 * retries, a redundancy priority with one copy): by the space's conditions,
 * such a knob has no effect.
 *
 * A knob is never put back where that would switch a mechanism: under a gate
 * that is off, the knob's presence is what the gate reads. The per-try
 * timeout of a candidate that dropped the timeout is inactive, and writing
 * the scenario's timeout back would switch the timeout on again — the
 * recommendation would then differ from what the search measured.
 */
export function dropInactive(space: SearchSpace, config: MeshConfig): MeshConfig {
  const active = activeOf(space, valuesOf(space, config));
  const gates = space.dims.filter((d): d is GateDim => d.kind === 'gate');
  const states = (c: MeshConfig): string => gates.map((g) => g.stateOf(c)).join('|');
  const before = states(config);
  let out = cloneConfig(config);
  space.dims.forEach((d, i) => {
    if (active[i] || d.kind === 'gate') return;
    const next = cloneConfig(out);
    const was = getPath(space.base, d.path);
    if (was === undefined) deletePath(next, d.path);
    else setPath(next, d.path, structuredClone(was));
    repair(next);
    if (states(next) === before) out = next;
  });
  return out;
}

/** The point of a configuration (each knob at its effective value; inactive dimensions at ½). */
export function encode(space: SearchSpace, config: MeshConfig): number[] {
  const values = valuesOf(space, config);
  const active = activeOf(space, values);
  return space.dims.map((d, i) => (active[i] ? encodeValue(d, values[i]) : 0.5));
}

/** The configuration a point stands for. */
export function configOf(space: SearchSpace, point: readonly number[]): MeshConfig {
  return decode(space, point).config;
}
