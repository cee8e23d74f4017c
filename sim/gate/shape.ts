/**
 * Recognising what a gate was given. Three documents are comparable:
 *
 * - a benchmark results file (`results/bench/<suite>.json`):
 *   `{env: {...}, tasks: [{name, unit, higherIsBetter, samples}]}`;
 * - the output of `meshtune simulate --replications R --json` (SPEC §6), with
 *   R ≥ 2 so that it carries `ci95`;
 * - a finished study's `study.json` (`meshtune optimize`): the metrics of the
 *   configuration it recommends, re-measured on fresh seeds (`winnerMetrics`
 *   when it adopts the winner, `current.metrics` when it keeps the current one).
 *
 * Pure: takes a parsed JSON value and a label (the file name) for messages.
 */

/** One benchmark task's raw samples, as the bench harness writes them. */
export interface BenchTask {
  name: string;
  unit: string;
  higherIsBetter: boolean;
  samples: number[];
  /** Why the benchmark says not to gate it (reported, never failing); absent: gated. */
  ungated?: string;
}

/** A benchmark results file; `env` is kept as written, for the summary's header. */
export interface BenchDocument {
  kind: 'bench';
  env: Record<string, unknown>;
  tasks: BenchTask[];
}

/** One metric of replicated runs: the mean over replications and its 95% t interval. */
export interface ReplicatedValue {
  mean: number;
  /** 95% CI of the mean; [mean, mean] when the replications agree exactly. */
  lo: number;
  hi: number;
}

/** Replicated metrics of one scenario and configuration (a simulate output or a study's recommendation). */
export interface ReplicatedDocument {
  kind: 'replications';
  /** Where the figures came from: `simulate` or `study`. */
  source: 'simulate' | 'study';
  scenario: string;
  replications: number;
  /** By metric path (`latencyMs.p99`); only the gated metrics that are present. */
  metrics: Record<string, ReplicatedValue>;
}

export type GateDocument = BenchDocument | ReplicatedDocument;

/** A document that is none of the shapes above, or is one with a field wrong. */
export class GateInputError extends Error {
  override readonly name = 'GateInputError';
  constructor(
    /** The file, as the user named it. */
    readonly file: string,
    /** What was wrong and what was expected. */
    readonly detail: string,
  ) {
    super(`${file}: ${detail}`);
  }
}

/** Metric paths a replications gate compares (SPEC §6 names). */
export const GATED_METRICS = [
  'latencyMs.p99',
  'latencyMs.p50',
  'latencyMs.mean',
  'deliveryRatio',
  'cost.perDelivered',
  'throughputPerSec',
] as const;
export type GatedMetric = (typeof GATED_METRICS)[number];

const EXPECTED =
  'expected a benchmark results file ({env, tasks: [{name, unit, higherIsBetter, samples}]}), ' +
  'the output of `meshtune simulate --replications R --json` (R ≥ 2), or a finished study.json of `meshtune optimize`';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * A number as JSON can hold it: a number, or the strings `Infinity`,
 * `-Infinity` and `NaN` that study files use for non-finite values. A `null`
 * (what JSON.stringify makes of Infinity and NaN) reads as NaN.
 */
function numberOf(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (v === null) return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  if (v === 'NaN') return NaN;
  return undefined;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  return `${typeof v} ${String(v)}`;
}

/** Reads a parsed JSON document as one of the gate's inputs, or throws a {@link GateInputError}. */
export function readGateDocument(value: unknown, file: string): GateDocument {
  if (!isObj(value)) throw new GateInputError(file, `${EXPECTED}; got ${describe(value)}`);
  if ('tasks' in value || 'env' in value) return readBench(value, file);
  if ('latencyMs' in value || 'deliveryRatio' in value) return readMetrics(value, file, 'simulate', '');
  if ('settings' in value || 'recommendation' in value || 'winnerMetrics' in value) return readStudy(value, file);
  const keys = Object.keys(value).slice(0, 6).join(', ');
  throw new GateInputError(file, `${EXPECTED}; got an object with keys ${keys === '' ? '(none)' : keys}`);
}

function readBench(doc: Obj, file: string): BenchDocument {
  if (!isObj(doc.env)) throw new GateInputError(file, `env: expected an object (the machine the benchmark ran on), got ${describe(doc.env)}`);
  if (!Array.isArray(doc.tasks)) throw new GateInputError(file, `tasks: expected an array of {name, unit, higherIsBetter, samples}, got ${describe(doc.tasks)}`);
  const tasks: BenchTask[] = [];
  const names = new Set<string>();
  doc.tasks.forEach((t: unknown, i: number) => {
    const at = `tasks[${i}]`;
    if (!isObj(t)) throw new GateInputError(file, `${at}: expected {name, unit, higherIsBetter, samples}, got ${describe(t)}`);
    if (typeof t.name !== 'string') throw new GateInputError(file, `${at}.name: expected a string, got ${describe(t.name)}`);
    if (typeof t.unit !== 'string') throw new GateInputError(file, `${at}.unit: expected a string, got ${describe(t.unit)}`);
    if (typeof t.higherIsBetter !== 'boolean') {
      throw new GateInputError(file, `${at}.higherIsBetter: expected true or false, got ${describe(t.higherIsBetter)}`);
    }
    if (!Array.isArray(t.samples)) throw new GateInputError(file, `${at}.samples: expected an array of numbers, got ${describe(t.samples)}`);
    const samples = t.samples.map((s: unknown, j: number) => {
      const x = numberOf(s);
      if (x === undefined) throw new GateInputError(file, `${at}.samples[${j}]: expected a number, got ${describe(s)}`);
      return x;
    });
    if (names.has(t.name)) throw new GateInputError(file, `${at}.name: task '${t.name}' appears twice`);
    names.add(t.name);
    if (t.ungated !== undefined && typeof t.ungated !== 'string') throw new GateInputError(file, `${at}.ungated: expected a string (why the task is not gated), got ${describe(t.ungated)}`);
    tasks.push({ name: t.name, unit: t.unit, higherIsBetter: t.higherIsBetter, samples, ...(typeof t.ungated === 'string' ? { ungated: t.ungated } : {}) });
  });
  return { kind: 'bench', env: doc.env, tasks };
}

function get(doc: Obj, path: string): unknown {
  let v: unknown = doc;
  for (const key of path.split('.')) {
    if (!isObj(v)) return undefined;
    v = v[key];
  }
  return v;
}

/** SPEC §6 metrics with `ci95`; `prefix` names where they sit in the file, for messages. */
function readMetrics(doc: Obj, file: string, source: 'simulate' | 'study', prefix: string): ReplicatedDocument {
  const reps = numberOf(doc.replications);
  if (reps === undefined || !Number.isInteger(reps) || reps < 1) {
    throw new GateInputError(file, `${prefix}replications: expected a whole number ≥ 1, got ${describe(doc.replications)}`);
  }
  if (reps < 2 || !isObj(doc.ci95)) {
    throw new GateInputError(
      file,
      `${prefix}ci95: expected 95% confidence intervals over replications; ` +
        `this run has ${reps} replication${reps === 1 ? '' : 's'} — produce it with --replications R (R ≥ 2) --json`,
    );
  }
  const ci = doc.ci95;
  const metrics: Record<string, ReplicatedValue> = {};
  for (const path of GATED_METRICS) {
    const raw = get(doc, path);
    if (raw === undefined) continue;
    const mean = numberOf(raw);
    if (mean === undefined) throw new GateInputError(file, `${prefix}${path}: expected a number, got ${describe(raw)}`);
    const interval = ci[path];
    if (interval === undefined) {
      // combineReplications leaves out a metric some replication could not measure (NaN, Infinity).
      metrics[path] = { mean, lo: NaN, hi: NaN };
      continue;
    }
    const lo = Array.isArray(interval) ? numberOf(interval[0]) : undefined;
    const hi = Array.isArray(interval) ? numberOf(interval[1]) : undefined;
    if (lo === undefined || hi === undefined || !Array.isArray(interval) || interval.length !== 2) {
      throw new GateInputError(file, `${prefix}ci95["${path}"]: expected [lo, hi], got ${describe(interval)}`);
    }
    metrics[path] = { mean, lo, hi };
  }
  if (Object.keys(metrics).length === 0) {
    throw new GateInputError(file, `${prefix}: expected SPEC §6 metrics (${GATED_METRICS.join(', ')}), found none`);
  }
  const scenario = typeof doc.scenario === 'string' ? doc.scenario : '';
  return { kind: 'replications', source, scenario, replications: reps, metrics };
}

/** A finished study: the metrics of the configuration it recommends. */
function readStudy(doc: Obj, file: string): ReplicatedDocument {
  const rec = doc.recommendation;
  if (!isObj(rec)) {
    throw new GateInputError(
      file,
      'recommendation: expected a finished study (study.json gets its result when `meshtune optimize` ends); ' +
        'this one has none — did the study finish?',
    );
  }
  const adopt = rec.action === 'adopt';
  const where = adopt ? 'winnerMetrics' : 'current.metrics';
  const metrics = get(doc, where);
  if (!isObj(metrics)) {
    throw new GateInputError(
      file,
      `${where}: expected the confirmation metrics of the recommended (${adopt ? 'winning' : 'current'}) configuration, got ${describe(metrics)}`,
    );
  }
  const out = readMetrics(metrics, file, 'study', `${where}.`);
  const name = get(doc, 'scenario.name');
  return { ...out, scenario: typeof name === 'string' ? name : out.scenario };
}
