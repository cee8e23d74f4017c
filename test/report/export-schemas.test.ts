/**
 * Every export checked against the targets' own schemas: Envoy's v3 protos
 * (field names, types, enums, durations, and the protoc-gen-validate rules
 * Envoy enforces) and Istio's CRD schemas (@kubernetes-models/istio). The
 * configurations: each library scenario's current one, the same with the
 * recommended defaults (`meshtune reset`) merged over it, and every knob at
 * the ends of its range, one at a time over a configuration with every
 * mechanism on.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { DestinationRule } from '@kubernetes-models/istio/networking.istio.io/v1/DestinationRule';
import { VirtualService } from '@kubernetes-models/istio/networking.istio.io/v1/VirtualService';
import { toEnvoy, toIstio } from '../../sim/report/export/index.js';
import { KNOB_PATHS, KNOBS } from '../../sim/scenario/config.js';
import { loadScenario, mergeConfig, InputError } from '../../sim/scenario/index.js';
import type { MeshConfig } from '../../sim/scenario/types.js';
import type { FieldRange } from '../../sim/scenario/ranges.js';
import { RECOMMENDED_DEFAULTS } from '../../sim/study/recommended-defaults.js';
import { checkEnvoy, pgvProblems } from './envoy-schema.js';

const target = { service: 'worker', namespace: 'swarm' };

/** Envoy: each document as the message it is, parsed by the protos, then Envoy's validation rules. */
function envoyProblems(config: MeshConfig): string[] {
  const { documents } = toEnvoy(config, target);
  const problems: string[] = [];
  const check = (type: string, doc: unknown, at: string) => {
    try {
      checkEnvoy(type, doc);
    } catch (err) {
      problems.push(`${at}: ${(err as Error).message}`);
      return;
    }
    problems.push(...pgvProblems(type, doc, at));
  };
  for (const doc of documents) {
    if ('clusters' in doc) (doc.clusters as unknown[]).forEach((c, i) => check('envoy.config.cluster.v3.Cluster', c, `clusters[${i}]`));
    else if ('route' in doc) check('envoy.config.route.v3.RouteAction', doc.route, 'route');
    else if ('http_filters' in doc) {
      (doc.http_filters as unknown[]).forEach((f, i) => check('envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter', f, `http_filters[${i}]`));
    } else problems.push(`unexpected document: ${Object.keys(doc).join(', ')}`);
  }
  return problems;
}

/** Istio's rule for every duration field (its CRDs check it in CEL): a Go duration of at least 1 ms. */
function istioDurations(value: unknown, at: string, out: string[]): void {
  if (typeof value !== 'object' || value === null) return;
  for (const [k, v] of Object.entries(value)) {
    if (/timeout|interval|time$|Time$|Timeout$/i.test(k) && typeof v === 'string') {
      const m = /^(\d+(?:\.\d+)?)s$/.exec(v);
      if (m === null || Number(m[1]) < 0.001) out.push(`${at}.${k}: ${v} is not a duration of at least 1ms`);
    } else istioDurations(v, `${at}.${k}`, out);
  }
}

function istioProblems(config: MeshConfig): string[] {
  const { documents } = toIstio(config, target);
  const problems: string[] = [];
  for (const doc of documents) {
    const model = doc.kind === 'DestinationRule' ? new DestinationRule(doc as never) : new VirtualService(doc as never);
    try {
      model.validate();
    } catch (err) {
      problems.push(`${String(doc.kind)}: ${(err as Error).message}`);
    }
    istioDurations(doc.spec, `${String(doc.kind)}.spec`, problems);
  }
  return problems;
}

function assertValid(config: MeshConfig, what: string): void {
  const problems = [...envoyProblems(config), ...istioProblems(config)];
  assert.equal(problems, [], `${what}: ${JSON.stringify(config)}`);
}

/** Everything on, at ordinary values: the base the extremes are taken from. */
const ALL_ON: MeshConfig = {
  routing: { balancer: 'consistent-hash', path: 'adaptive', redundancy: 2, redundantPriority: 3 },
  buffer: { capacity: 128, policy: 'priority' },
  timeout: { perTry: 250, overall: 2000 },
  retry: { maxAttempts: 3, base: 20, cap: 500, jitter: 'decorrelated', budget: 0.2 },
  hedge: { after: 100 },
  breaker: { failureRate: 0.5, minRequests: 20, window: 10_000, openFor: 5000, halfOpenProbes: 2 },
  outlier: { consecutiveErrors: 5, ejectFor: 30_000, maxEjected: 0.2 },
  batching: { maxSize: 16, maxBytes: 65_536, linger: 2 },
  compression: { codec: 'gzip', minBytes: 1024 },
  delivery: 'exactly-once',
  concurrency: { limit: 'gradient' },
  shedding: { queueFraction: 0.8 },
};

/** `config` with the knob at `path` set to `value` (retry.cap kept at or above retry.base, as the loader requires). */
function withKnob(config: MeshConfig, knob: string, value: unknown): MeshConfig {
  const [group, key] = knob.split('.') as [string, string | undefined];
  const next = structuredClone(config) as Record<string, unknown>;
  if (key === undefined) next[group] = value;
  else next[group] = { ...(next[group] as object), [key]: value };
  const retry = (next as MeshConfig).retry;
  if (retry?.base !== undefined && retry.cap !== undefined && retry.cap < retry.base) retry.cap = retry.base;
  return next as MeshConfig;
}

function rangeOf(knob: string): FieldRange | null {
  const bound = (KNOBS as unknown as Record<string, { bound: unknown; schema: unknown }>)[knob]!.bound as { meta?: () => unknown; _zod: { def: { out?: { meta?: () => unknown } } } } | null;
  if (bound === null) return null;
  const meta = (bound.meta?.() ?? bound._zod.def.out?.meta?.()) as { range?: FieldRange } | undefined;
  return meta?.range ?? null;
}

function choicesOf(knob: string): unknown[] {
  const schema = (KNOBS as unknown as Record<string, { schema: { options?: unknown[]; _zod: { def: { entries?: Record<string, unknown>; options?: unknown[] } } } }>)[knob]!.schema;
  const entries = schema._zod.def.entries;
  if (entries !== undefined) return Object.values(entries);
  return (schema._zod.def.options ?? []).flatMap((o) => Object.values((o as { _zod: { def: { entries?: Record<string, unknown> } } })._zod.def.entries ?? {}));
}

test('the protos are strict: a misspelt field, a bad enum and an unparsable duration are refused', () => {
  assert.throws(() => checkEnvoy('envoy.config.cluster.v3.Cluster', { name: 'a', bogus: 1 }), /unknown field/);
  assert.throws(() => checkEnvoy('envoy.config.cluster.v3.Cluster', { name: 'a', lb_policy: 'FASTEST' }), /enum/);
  assert.throws(() => checkEnvoy('envoy.config.cluster.v3.Cluster', { name: 'a', connect_timeout: '1e+297s' }), /duration/);
  assert.equal(pgvProblems('envoy.config.cluster.v3.Cluster', { name: 'a', connect_timeout: '0s' }), ['connect_timeout: must be > 0s, is 0s']);
  assert.ok(istioProblems({ timeout: { overall: 0.0001 } }).length === 0, 'a sub-millisecond timeout is raised to 1 ms, not written as 0s');
  const vs = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'a' }, spec: { hosts: ['a'], http: [{ retries: { attempts: 'two' } }] } };
  assert.throws(() => new VirtualService(vs as never).validate(), /attempts|integer/);
});

test('every library scenario: its configuration and the recommended defaults over it export valid Envoy and Istio', () => {
  const dir = path.resolve('scenarios');
  const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
  assert.ok(files.length >= 10);
  for (const f of files) {
    const sc = loadScenario(path.join(dir, f));
    assertValid(sc.config, `${sc.name} (current)`);
    assertValid(mergeConfig(sc.config, RECOMMENDED_DEFAULTS), `${sc.name} (recommended defaults)`);
  }
});

test('every knob at the ends of its range (and every choice) exports valid Envoy and Istio', () => {
  let tried = 0;
  for (const knob of KNOB_PATHS) {
    const r = rangeOf(knob);
    const values: unknown[] = r === null ? [] : [r.exclusive ? (r.integer ? r.min + 1 : r.min + 1e-6) : r.min, r.max];
    values.push(...choicesOf(knob));
    assert.ok(values.length > 0, `${knob}: no values to try`);
    for (const v of values) {
      assertValid(withKnob(ALL_ON, knob, v), `${knob} = ${String(v)}`);
      assertValid(withKnob({}, knob, v), `${knob} = ${String(v)} alone`);
      tried++;
    }
  }
  assert.ok(tried > 60, `${tried} configurations`);
});

test('durations: never 0s, never an exponent; what is clamped is noted', () => {
  const { documents, notes } = toEnvoy({ timeout: { perTry: 0.0004, overall: 1e10 }, retry: { maxAttempts: 2, base: 0, cap: 0 } }, target);
  const text = JSON.stringify(documents);
  assert.not.match(text, /"0s"|e\+/);
  assert.match(text, /"timeout":"10000000s"/);
  assert.ok(notes.some((n) => n.includes('timeout.perTry 0.0004 ms')), notes.join(' | '));
  assert.ok(notes.some((n) => n.includes('retry.base 0 ms')), notes.join(' | '));
});

test('service and namespace names must be DNS-1123 labels', () => {
  for (const bad of ['', 'Agents', 'a_b', '-a', 'a-', 'x'.repeat(64), 'a\nb: 1']) {
    assert.throws(() => toIstio({}, { service: bad, namespace: 'default' }), (e: unknown) => e instanceof InputError && e.field === 'service');
    assert.throws(() => toIstio({}, { service: 'ok', namespace: bad }), (e: unknown) => e instanceof InputError && e.field === 'namespace');
    assert.throws(() => toEnvoy({}, { service: bad, namespace: 'default' }), (e: unknown) => e instanceof InputError && e.field === 'service');
  }
  assert.not.throws(() => toIstio({}, { service: 'llm-1', namespace: 'team-a' }));
});

test.run();
