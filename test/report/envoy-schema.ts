/**
 * Envoy's own v3 protos (shipped by @grpc/grpc-js-xds under deps/), loaded
 * with protobufjs, to check exported documents the way Envoy reads them: the
 * canonical proto3 JSON mapping (protobufjs/ext/protojson), so a misspelt
 * field, a wrong type, a bad enum name or a malformed duration is an error.
 */
import path from 'node:path';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import protobuf from 'protobufjs';
import protojson from 'protobufjs/ext/protojson.js';

const require = createRequire(import.meta.url);
const deps = path.join(path.dirname(require.resolve('@grpc/grpc-js-xds/package.json')), 'deps');
const INCLUDE = ['envoy-api', 'xds', 'googleapis', 'protoc-gen-validate'].map((d) => path.join(deps, d));

const PROTOS = [
  'envoy/config/cluster/v3/cluster.proto',
  'envoy/config/route/v3/route_components.proto',
  'envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager.proto',
  'envoy/extensions/filters/http/adaptive_concurrency/v3/adaptive_concurrency.proto',
  'envoy/extensions/filters/http/compressor/v3/compressor.proto',
  'envoy/extensions/compression/gzip/compressor/v3/gzip.proto',
  'envoy/extensions/compression/brotli/compressor/v3/brotli.proto',
];

let root: protobuf.Root | null = null;

/** The protos, loaded once (about a second). */
export function envoyRoot(): protobuf.Root {
  if (root !== null) return root;
  const r = new protobuf.Root();
  r.resolvePath = (origin, target) => {
    // protobufjs holds the well-known types itself (common), and descriptor.proto beside them.
    if (target.startsWith('google/protobuf/')) {
      const own = path.join(path.dirname(require.resolve('protobufjs/package.json')), target);
      return existsSync(own) ? own : target;
    }
    for (const dir of INCLUDE) {
      const p = path.join(dir, target);
      if (existsSync(p)) return p;
    }
    return protobuf.util.path.resolve(origin, target);
  };
  r.loadSync(PROTOS, { keepCase: true });
  r.resolveAll();
  root = r;
  return r;
}

/** Parses `json` as an Envoy message of type `typeName`; throws what Envoy would reject. */
export function checkEnvoy(typeName: string, json: unknown): void {
  protojson.fromJson(envoyRoot().lookupType(typeName), json);
}

type Json = Record<string, unknown>;
type Rules = Record<string, Record<string, unknown>>;

/** Seconds of a protobuf-JSON Duration string ("1.5s"). */
function seconds(d: unknown): number {
  return typeof d === 'string' && /^-?\d+(\.\d{1,9})?s$/.test(d) ? Number(d.slice(0, -1)) : NaN;
}

const durationOf = (rule: unknown): number => {
  const r = (rule ?? {}) as { seconds?: number | string; nanos?: number };
  return Number(r.seconds ?? 0) + (r.nanos ?? 0) / 1e9;
};

function rulesOf(field: protobuf.Field): Rules | null {
  const parsed = (field as unknown as { parsedOptions?: Array<Record<string, unknown>> }).parsedOptions ?? [];
  for (const o of parsed) if (o['(validate.rules)'] !== undefined) return o['(validate.rules)'] as Rules;
  return null;
}

/**
 * Envoy's protoc-gen-validate rules (`(validate.rules)` on each field), which
 * Envoy enforces when it loads a configuration: durations (gt, gte, lt, lte,
 * required), numbers (gt, gte, lt, lte), strings (min_len), repeated fields
 * (min_items), required messages. Returns each broken rule as `path: rule`.
 */
export function pgvProblems(typeName: string, json: unknown, at = ''): string[] {
  const type = envoyRoot().lookupType(typeName);
  const out: string[] = [];
  if (typeof json !== 'object' || json === null) return out;
  const obj = json as Json;
  for (const field of type.fieldsArray) {
    const value = obj[field.name] ?? obj[field.jsonName ?? field.name];
    const where = `${at}${at === '' ? '' : '.'}${field.name}`;
    const rules = rulesOf(field);
    if (rules !== null) out.push(...checkRules(rules, value, where, field));
    if (value === undefined || field.resolvedType === null || !(field.resolvedType instanceof protobuf.Type)) continue;
    const sub = field.resolvedType.fullName.replace(/^\./, '');
    const items = field.repeated && Array.isArray(value) ? value : [value];
    items.forEach((item, i) => {
      const path = field.repeated ? `${where}[${i}]` : where;
      if (sub === 'google.protobuf.Any') {
        const t = (item as Json)['@type'];
        if (typeof t === 'string') out.push(...pgvProblems(t.replace(/^type\.googleapis\.com\//, ''), item, path));
      } else if (!sub.startsWith('google.protobuf.')) {
        out.push(...pgvProblems(sub, item, path));
      }
    });
  }
  return out;
}

function checkRules(rules: Rules, value: unknown, where: string, field: protobuf.Field): string[] {
  const out: string[] = [];
  const message = rules.message as { required?: boolean } | undefined;
  if (message?.required === true && value === undefined) out.push(`${where}: required`);
  const d = rules.duration as Record<string, unknown> | undefined;
  if (d !== undefined) {
    if (d.required === true && value === undefined) out.push(`${where}: required duration`);
    if (value !== undefined) {
      const s = seconds(value);
      if (Number.isNaN(s)) out.push(`${where}: not a duration: ${String(value)}`);
      if ('gt' in d && !(s > durationOf(d.gt))) out.push(`${where}: must be > ${durationOf(d.gt)}s, is ${String(value)}`);
      if ('gte' in d && !(s >= durationOf(d.gte))) out.push(`${where}: must be >= ${durationOf(d.gte)}s, is ${String(value)}`);
      if ('lt' in d && !(s < durationOf(d.lt))) out.push(`${where}: must be < ${durationOf(d.lt)}s, is ${String(value)}`);
      if ('lte' in d && !(s <= durationOf(d.lte))) out.push(`${where}: must be <= ${durationOf(d.lte)}s, is ${String(value)}`);
    }
  }
  for (const kind of ['uint32', 'uint64', 'int32', 'int64', 'double', 'float']) {
    const n = rules[kind] as Record<string, number> | undefined;
    if (n === undefined || value === undefined) continue;
    const x = Number(value);
    if ('gt' in n && !(x > Number(n.gt))) out.push(`${where}: must be > ${n.gt}, is ${x}`);
    if ('gte' in n && !(x >= Number(n.gte))) out.push(`${where}: must be >= ${n.gte}, is ${x}`);
    if ('lt' in n && !(x < Number(n.lt))) out.push(`${where}: must be < ${n.lt}, is ${x}`);
    if ('lte' in n && !(x <= Number(n.lte))) out.push(`${where}: must be <= ${n.lte}, is ${x}`);
  }
  const str = rules.string as { min_len?: number } | undefined;
  if (str?.min_len !== undefined && typeof value === 'string' && value.length < Number(str.min_len)) out.push(`${where}: shorter than ${str.min_len}`);
  if (str?.min_len !== undefined && value === undefined && !field.partOf) out.push(`${where}: required string`);
  const rep = rules.repeated as { min_items?: number } | undefined;
  if (rep?.min_items !== undefined && Array.isArray(value) && value.length < Number(rep.min_items)) out.push(`${where}: fewer than ${rep.min_items} items`);
  return out;
}
