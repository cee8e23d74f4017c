/**
 * Property test of the scenario loader and the run behind it (fast-check):
 * valid scenarios and scenarios with one field mutated into anything at all
 * — absurd numbers, wrong types, strings with newlines, deep nesting — end
 * in exit 0 or 2 as the command line maps them: a result, or a
 * MeshtuneInputError whose message is one line. Never another exception.
 * A failure prints fast-check's seed and path, to replay it exactly.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { simulate, MeshtuneInputError } from '../../sim/api.js';

/** Small enough to run in milliseconds when valid; the limits refuse the rest at once. */
const LIMITS = { maxEvents: 200_000, maxAgents: 2000, maxPending: 100_000 };

const dist = fc.oneof(
  fc.double({ min: 0, max: 50, noNaN: true }),
  fc.record({ dist: fc.constant('exp'), mean: fc.double({ min: 0.01, max: 50, noNaN: true }) }),
  fc.record({ dist: fc.constant('lognormal'), mean: fc.double({ min: 0.01, max: 50, noNaN: true }), cv: fc.double({ min: 0, max: 5, noNaN: true }) }),
  fc.record({ dist: fc.constant('weibull'), mean: fc.double({ min: 0.01, max: 50, noNaN: true }), shape: fc.double({ min: 0.05, max: 5, noNaN: true }) }),
);

const scenario = fc.record({
  duration: fc.integer({ min: 50, max: 1500 }),
  seed: fc.integer({ min: 0, max: 1000 }),
  roles: fc.record({
    a: fc.record({ count: fc.integer({ min: 1, max: 6 }), workers: fc.integer({ min: 1, max: 3 }), service: dist }),
    b: fc.record({ count: fc.integer({ min: 1, max: 6 }), service: dist }),
  }),
  topology: fc.constantFrom('full-mesh', 'star', 'ring', 'hierarchical', 'random'),
  workload: fc.array(
    fc.oneof(
      fc.record({ pattern: fc.constant('poisson'), to: fc.constantFrom('a', 'b'), from: fc.constantFrom('external', 'a'), rate: fc.double({ min: 1, max: 300, noNaN: true }), then: fc.constantFrom([], ['b']) }),
      fc.record({ pattern: fc.constant('bursty'), to: fc.constant('a'), rate: fc.integer({ min: 0, max: 50 }), burstRate: fc.integer({ min: 1, max: 300 }), meanBurst: fc.integer({ min: 1, max: 300 }), meanGap: fc.integer({ min: 1, max: 300 }) }),
      fc.record({ pattern: fc.constant('closed'), to: fc.constant('b'), clients: fc.integer({ min: 1, max: 20 }), think: dist }),
    ),
    { minLength: 1, maxLength: 3 },
  ),
  config: fc.record(
    {
      retry: fc.record({ maxAttempts: fc.integer({ min: 1, max: 4 }) }),
      timeout: fc.record({ perTry: fc.integer({ min: 1, max: 500 }) }),
      buffer: fc.record({ capacity: fc.integer({ min: 0, max: 50 }) }),
    },
    { requiredKeys: [] },
  ),
});

/** Anything a user might put in a field: absurd, wrong-typed or hostile. */
const anyValue = fc.oneof(
  fc.constantFrom(0, -1, 1e300, -1e300, 2 ** 53, 1e-300, null, true, '', 'x\n\u001b[31my', '1e400s', '-5ms', 'NaN', 'Infinity', '10/s', '4KB', [], {}),
  fc.double(),
  fc.integer(),
  fc.string({ maxLength: 30 }),
  fc.jsonValue({ maxDepth: 3 }),
);

type Json = Record<string, unknown>;

/** Every path into a JSON document (object keys and list indices). */
function paths(v: unknown, at: Array<string | number> = []): Array<Array<string | number>> {
  if (v === null || typeof v !== 'object') return [at];
  const keys = Array.isArray(v) ? v.map((_, i) => i) : Object.keys(v);
  return [at, ...keys.flatMap((k) => paths((v as Json)[k as string], [...at, k]))];
}

function setAt(doc: Json, at: Array<string | number>, value: unknown): unknown {
  if (at.length === 0) return value;
  const copy = structuredClone(doc) as Json;
  let node: Json = copy;
  for (const k of at.slice(0, -1)) node = node[k as string] as Json;
  node[at[at.length - 1] as string] = value;
  return copy;
}

/** The exit code the command line would give: 0, 2 for bad input, 70 for anything else. */
function exitOf(doc: unknown): { code: number; message: string } {
  try {
    simulate(doc as Json, { limits: LIMITS });
    return { code: 0, message: '' };
  } catch (err) {
    if (err instanceof MeshtuneInputError) return { code: 2, message: err.message };
    return { code: 70, message: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
  }
}

test('valid generated scenarios run or are refused as bad input', () => {
  fc.assert(
    fc.property(scenario, (doc) => {
      const r = exitOf(doc);
      return r.code === 0 || (r.code === 2 && !r.message.includes('\n'));
    }),
    { numRuns: 60, seed: Number(process.env.MESHTUNE_FC_SEED ?? 20_261_206) },
  );
});

test('scenarios with one field mutated into anything exit only 0 or 2, with one-line messages', () => {
  const codes = new Set<number>();
  fc.assert(
    fc.property(scenario, fc.nat(), anyValue, (doc, pick, value) => {
      const all = paths(doc);
      const at = all[pick % all.length]!;
      const r = exitOf(setAt(doc as Json, at, value));
      codes.add(r.code);
      if (r.code !== 0 && r.code !== 2) throw new Error(`exit ${r.code} with ${JSON.stringify(value)} at ${at.join('.')}: ${r.message}`);
      if (r.message.includes('\n') || r.message.includes('\u001b')) throw new Error(`a message of more than one line or with raw escapes: ${JSON.stringify(r.message)}`);
    }),
    { numRuns: 200, seed: Number(process.env.MESHTUNE_FC_SEED ?? 20_261_206) },
  );
  assert.ok(codes.has(2), 'mutations were refused');
  assert.ok(codes.has(0), 'some mutations are harmless and run');
});

test.run();
