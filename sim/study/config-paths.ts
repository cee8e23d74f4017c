/**
 * Dotted-path access to configurations (`retry.base`), a canonical key for
 * de-duplicating candidates, and the list of changes between two
 * configurations (what a report calls "the change found").
 */
import { resolvePolicies } from '../model/policies.js';
import type { MeshConfig } from '../scenario/types.js';

type Plain = { [key: string]: unknown };
const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

export function getPath(config: MeshConfig, path: string): unknown {
  let cur: unknown = config;
  for (const part of path.split('.')) {
    if (!isPlain(cur)) return undefined;
    cur = cur[part];
  }
  return cur;
}

/** Sets `path` in `config` (in place), creating the blocks on the way. */
export function setPath(config: MeshConfig, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur = config as Plain;
  for (const part of parts.slice(0, -1)) {
    const next = cur[part];
    if (!isPlain(next)) cur[part] = {};
    cur = cur[part] as Plain;
  }
  cur[parts[parts.length - 1]!] = value;
}

/** Removes `path` (in place) and any block it leaves empty. */
export function deletePath(config: MeshConfig, path: string): void {
  const parts = path.split('.');
  const chain: Plain[] = [config as Plain];
  for (const part of parts.slice(0, -1)) {
    const next = chain[chain.length - 1]![part];
    if (!isPlain(next)) return;
    chain.push(next);
  }
  delete chain[chain.length - 1]![parts[parts.length - 1]!];
  for (let i = chain.length - 1; i > 0; i--) {
    if (Object.keys(chain[i]!).length > 0) break;
    delete chain[i - 1]![parts[i - 1]!];
  }
}

/** Makes sure the block at `path` exists (an empty block turns a mechanism on with its defaults). */
export function ensureBlock(config: MeshConfig, path: string): void {
  if (!isPlain(getPath(config, path))) setPath(config, path, {});
}

export function cloneConfig(config: MeshConfig): MeshConfig {
  return structuredClone(config);
}

/** JSON with keys sorted at every level: equal configurations give equal keys. */
export function configKey(config: MeshConfig): string {
  return JSON.stringify(sortKeys(config));
}

/**
 * A key of what a configuration makes the model do: its resolved policies
 * (model/policies.ts). `{routing: {balancer: round-robin}}` and `{}` get the
 * same key, since they simulate the same mesh; candidates are de-duplicated
 * and runs shared on it.
 */
export function behaviourKey(config: MeshConfig): string {
  return JSON.stringify(sortKeys(resolvePolicies(config)), (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (!isPlain(v)) return v;
  const out: Plain = {};
  for (const k of Object.keys(v).sort()) out[k] = sortKeys(v[k]);
  return out;
}

/** A leaf that differs between two configurations; `undefined` = absent. */
export interface ConfigChange {
  path: string;
  from: unknown;
  to: unknown;
}

/** Every leaf path whose value differs, sorted by path; a removed block shows as its own path. */
export function configChanges(from: MeshConfig, to: MeshConfig): ConfigChange[] {
  const out: ConfigChange[] = [];
  walk(from as Plain, to as Plain, '', out);
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function walk(a: unknown, b: unknown, prefix: string, out: ConfigChange[]): void {
  if (isPlain(a) && isPlain(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) walk(a[k], b[k], prefix === '' ? k : `${prefix}.${k}`, out);
    return;
  }
  if (isPlain(a) && b === undefined && Object.keys(a).length > 0) {
    out.push({ path: prefix, from: a, to: undefined });
    return;
  }
  if (JSON.stringify(sortKeys(a)) !== JSON.stringify(sortKeys(b))) out.push({ path: prefix, from: a, to: b });
}
