/**
 * Does a study's advice hold on seeds no study ran? Random meshes — one to
 * four roles, a topology or none, workloads of every pattern, hand-offs and
 * parallel calls, faults, priority classes, replica bounds the study may
 * choose within; a mesh drowned by its load is given half of it, up to three
 * times — each get SLOs near what their current configuration does: a p99
 * bound of 0.5–2.5× its p99 on its own seed (log-uniform), a delivery bound
 * of 95%, 98%, 99% or 99.9%, and with classes the gold class's own bounds
 * drawn the same way. Each is studied in a random mode at a small budget
 * (30). Every recommendation that claims to meet the SLOs is then run on 20
 * seeds far from any study's and judged on the means there: a claim whose
 * mean p99 is over its bound, or whose mean delivery ratio is under (the
 * gold class's too), is a miss — advice that would fail the user. Writes
 * results/search/advice-check/advice-check.{json,md}.
 *
 *   node --import tsx scripts/advice-check.ts [--meshes 60] [--seed 1] [--budget 30] [--workers 2] [--out DIR]
 *
 * Mesh k is drawn from its own stream (seed, k): the same arguments give the
 * same meshes, studies and verdicts.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadScenario } from '../sim/scenario/index.js';
import { runScenario } from '../sim/runner/index.js';
import { PiscinaRunner } from '../sim/runner/piscina-runner.js';
import { CONFIRM_REPLICATIONS, DEFAULT_STRATEGY, runStudy, TAIL_REPLICATIONS } from '../sim/study/index.js';
import { meanOutcome, outcomeOf } from '../sim/study/outcome.js';
import type { Mode, Outcome } from '../sim/study/types.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Seeds every recommendation is judged on: far from the study seeds (k), their confirmation (k + 1e6…) and the search benchmark's judge (7e6…). */
const CHECK_SEEDS = Array.from({ length: 20 }, (_, i) => 9_000_000 + i);
const MODES: readonly Mode[] = ['performance', 'reliability', 'cost'];

/** xorshift32 over (seed, k): one stream per mesh. */
function streamOf(seed: number, k: number): () => number {
  let s = (Math.imul(seed + 1, 0x9e3779b1) ^ Math.imul(k + 1, 0x85ebca6b)) >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

/** A random mesh as a scenario document, in the file's own form. */
function meshOf(k: number, rnd: () => number): Record<string, unknown> {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
  const duration = (): Record<string, unknown> => {
    const mean = `${int(1, 40)}ms`;
    return pick([
      { dist: 'exp', mean },
      { dist: 'lognormal', mean, cv: pick([0.3, 1, 2.5]) },
      { dist: 'const', value: mean },
      { dist: 'pareto', mean, alpha: pick([1.3, 2, 3]) },
      { dist: 'weibull', mean, shape: pick([0.6, 1.5]) },
      { dist: 'uniform', min: '1ms', max: mean },
    ]);
  };
  const names = ['a', 'b', 'c', 'd'].slice(0, int(1, 4));
  const roles: Record<string, Record<string, unknown>> = {};
  for (const n of names) {
    roles[n] = { count: int(1, 12), workers: int(1, 6), service: duration() };
    if (rnd() < 0.3) roles[n]!.errors = pick([0.001, 0.01, 0.05]);
    if (rnd() < 0.2) roles[n]!.relay = '0.2ms';
    // Replicas the study may choose (resources in the search space).
    if (rnd() < 0.25) roles[n]!.scale = { count: [1, 2 * (roles[n]!.count as number)] };
  }
  // Two priority classes on the entries, the first with SLOs of its own (set with the global ones).
  const classes = rnd() < 0.3;
  const topology = pick([
    null,
    null,
    { kind: 'star' },
    { kind: 'ring' },
    { kind: 'hierarchical', fanout: int(2, 6) },
    { kind: 'small-world', degree: 2 * int(1, 3), rewire: 0.2 },
    { kind: 'scale-free', m: int(1, 3) },
    { kind: 'random', degree: int(2, 6) },
  ]);
  const workload: Array<Record<string, unknown>> = [];
  for (let w = int(1, 3); w > 0; w--) {
    const pattern = pick(['poisson', 'bursty', 'diurnal', 'closed']);
    const e: Record<string, unknown> = { pattern, to: pick(names), size: pick(['512B', '4KB', { dist: 'lognormal', mean: '2KB', cv: 1 }]) };
    if (rnd() < 0.5) e.from = pick(names);
    if (pattern === 'poisson') e.rate = `${int(5, 800)}/s`;
    if (pattern === 'bursty') Object.assign(e, { rate: `${int(5, 300)}/s`, burstRate: `${int(300, 1500)}/s`, meanBurst: '500ms', meanGap: '3s' });
    if (pattern === 'diurnal') Object.assign(e, { rate: `${int(5, 500)}/s`, amplitude: 0.5, period: '10s' });
    if (pattern === 'closed') Object.assign(e, { clients: int(1, 100), think: { dist: 'exp', mean: `${int(1, 50)}ms` } });
    if (rnd() < 0.7) e.reply = { size: '1KB' };
    if (rnd() < 0.5) e.then = rnd() < 0.5 ? [pick(names)] : [{ parallel: [pick(names), pick(names)] }];
    if (classes) e.class = workload.length % 2 === 0 ? 'gold' : 'bronze';
    workload.push(e);
  }
  const faults: Array<Record<string, unknown>> = [];
  if (rnd() < 0.5) faults.push({ kind: 'crash', target: pick(names), fraction: pick([0.2, 0.5]), at: '3s', for: '3s' });
  if (rnd() < 0.3) faults.push({ kind: 'slow', target: pick(names), fraction: 0.5, factor: 5, at: '2s', for: '4s' });
  if (rnd() < 0.3) faults.push({ kind: 'loss', rate: pick([0.01, 0.05]), at: '4s', for: '2s' });
  if (rnd() < 0.2 && names.length > 1) faults.push({ kind: 'partition', between: [names[0], names[1]], at: '1s', for: '3s' });
  return {
    name: `mesh-${k}`,
    duration: '10s',
    warmup: '1s',
    seed: k,
    roles,
    ...(topology !== null ? { topology } : {}),
    links: { latency: duration(), bandwidth: pick(['1GB/s', '10MB/s']), ...(rnd() < 0.3 ? { loss: 0.001 } : {}) },
    workload,
    ...(faults.length > 0 ? { faults } : {}),
    cost: { perMessage: 0.0000002, perCpuHour: 0.05, perAgentHour: 0.02 },
  };
}

/** Halves every workload entry's rates (closed loops: their clients, at least one). */
function halveLoad(doc: Record<string, unknown>): void {
  for (const e of doc.workload as Array<Record<string, unknown>>) {
    for (const key of ['rate', 'burstRate'] as const) {
      const v = e[key];
      if (typeof v === 'string') e[key] = `${Math.max(1, Math.round(Number.parseFloat(v) / 2))}/s`;
    }
    if (typeof e.clients === 'number') e.clients = Math.max(1, Math.round(e.clients / 2));
  }
}

const pct = (x: number, digits: number): string => `${(x * 100).toFixed(digits)}%`;

interface Row {
  mesh: number;
  mode: Mode;
  slo: { p99Ms: number; deliveryRatio: number; gold?: { p99Ms: number; deliveryRatio: number } };
  action: string;
  /** The study says its recommendation meets the SLOs. */
  claims: boolean;
  /** On CHECK_SEEDS: means of the recommendation's p99 and delivery ratio (claims only). */
  p99Ms: number | null;
  deliveryRatio: number | null;
  /** The gold class's means on CHECK_SEEDS, when it has SLOs of its own. */
  gold?: { p99Ms: number; deliveryRatio: number };
  verdict: 'holds' | 'MISSES' | 'no claim' | 'skipped';
  why?: string;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      meshes: { type: 'string', default: '60' },
      seed: { type: 'string', default: '1' },
      budget: { type: 'string', default: '30' },
      workers: { type: 'string', default: String(Math.max(1, os.availableParallelism())) },
      out: { type: 'string', default: path.join(root, 'results/search/advice-check') },
    },
  });
  const meshes = Number(values.meshes);
  const seed = Number(values.seed);
  const budget = Number(values.budget);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'meshtune-advice-'));
  const runner = new PiscinaRunner(Number(values.workers));
  const rows: Row[] = [];
  try {
    for (let k = 0; k < meshes; k++) {
      const rnd = streamOf(seed, k);
      const doc = meshOf(k, rnd);
      const mode = MODES[Math.floor(rnd() * MODES.length)]!;
      const deliveryRatio = [0.95, 0.98, 0.99, 0.999][Math.floor(rnd() * 4)]!;
      // 0.5–2.5× (log-uniform): some SLOs the mesh misses today, some it meets, a few it cannot reach.
      const p99Factor = 0.5 * 5 ** rnd();
      const file = path.join(tmp, `mesh-${k}.json`);
      writeFileSync(file, JSON.stringify(doc));
      // A mesh drowned by its load (p99 over 2 s, or a fifth of its messages lost) is given half
      // of it, up to three times: most advice is asked of meshes that work, if badly.
      let today = runScenario(loadScenario(file), { limits: { maxEvents: 3e6 } });
      for (let halvings = 0; halvings < 3 && (today.latencyMs.p99 > 2000 || today.deliveryRatio < 0.8); halvings++) {
        halveLoad(doc);
        writeFileSync(file, JSON.stringify(doc));
        today = runScenario(loadScenario(file), { limits: { maxEvents: 3e6 } });
      }
      // The SLOs near what the mesh does today, so that some studies must change it and some cannot.
      const goldToday = today.classes?.gold;
      const goldSlo = goldToday !== undefined && goldToday.delivered > 0 ? { p99Ms: Math.max(1, Math.round(goldToday.latencyMs.p99 * p99Factor)), deliveryRatio } : undefined;
      const slo = { p99Ms: Math.max(1, Math.round(today.latencyMs.p99 * p99Factor)), deliveryRatio, ...(goldSlo !== undefined ? { gold: goldSlo } : {}) };
      const base: Row = { mesh: k, mode, slo, action: '–', claims: false, p99Ms: null, deliveryRatio: null, verdict: 'skipped' };
      if (!(today.messages.delivered > 200)) {
        rows.push({ ...base, why: `${today.messages.delivered} messages delivered today` });
        continue;
      }
      const classSlo = goldSlo !== undefined ? { classes: { gold: { p99: `${goldSlo.p99Ms}ms`, deliveryRatio: goldSlo.deliveryRatio } } } : {};
      writeFileSync(file, JSON.stringify({ ...doc, slo: { p99: `${slo.p99Ms}ms`, deliveryRatio, ...classSlo } }));
      const r = await runStudy(
        loadScenario(file),
        { scenarioPath: file, mode, budget, seed: k, strategy: DEFAULT_STRATEGY, confirmReplications: CONFIRM_REPLICATIONS, tailReplications: TAIL_REPLICATIONS, evidence: false, limits: { maxEvents: 3e6 } },
        runner,
      );
      const claims = r.confirmation !== null && r.recommendation.shortfall === null;
      if (!claims) {
        // What kept the study from a claim: the SLOs unmet, and the closest configuration's means on the fresh seeds.
        const sf = r.recommendation.shortfall;
        const c = r.confirmation;
        const closest = c === null || sf === null ? null : sf.closest === 'winner' ? c.winner : c.current;
        const why =
          closest === null
            ? 'no confirmation'
            : `unmet: ${sf!.unmet.join(', ')}; closest p99 ${closest.p99.toFixed(1)} ms, delivery ${(closest.deliveryRatio * 100).toFixed(2)}%`;
        rows.push({ ...base, action: r.recommendation.action, verdict: 'no claim', why });
        continue;
      }
      const runs = await Promise.all(CHECK_SEEDS.map((s) => runner.run({ scenarioPath: file, fraction: 1, config: r.recommendation.config, seed: s })));
      const outcomes = runs.map((x) => (x.ok ? outcomeOf(x.metrics) : null));
      // A run that failed backs no claim: its configuration misses every bound.
      const means = outcomes.every((o) => o !== null) ? meanOutcome(outcomes as Outcome[]) : null;
      const p99Ms = means?.p99 ?? Infinity;
      const delivered = means?.deliveryRatio ?? 0;
      const goldMeans = means?.classes?.gold;
      const gold = goldSlo !== undefined ? { p99Ms: goldMeans?.p99 ?? Infinity, deliveryRatio: goldMeans?.deliveryRatio ?? 0 } : undefined;
      const goldHolds = gold === undefined || (gold.p99Ms <= goldSlo!.p99Ms && gold.deliveryRatio >= goldSlo!.deliveryRatio);
      const holds = p99Ms <= slo.p99Ms && delivered >= deliveryRatio && goldHolds;
      rows.push({ ...base, action: r.recommendation.action, claims, p99Ms, deliveryRatio: delivered, ...(gold !== undefined ? { gold } : {}), verdict: holds ? 'holds' : 'MISSES' });
      process.stderr.write(`mesh ${k} ${mode}: ${r.recommendation.action}, ${holds ? 'holds' : 'MISSES'} (p99 ${p99Ms.toFixed(1)} ms vs ${slo.p99Ms}, delivery ${(delivered * 100).toFixed(3)}% vs ${deliveryRatio * 100}%)\n`);
    }
  } finally {
    await runner.close();
    rmSync(tmp, { recursive: true, force: true });
  }
  mkdirSync(values.out, { recursive: true });
  writeFileSync(path.join(values.out, 'advice-check.json'), `${JSON.stringify({ seed, budget, meshes, checkSeeds: CHECK_SEEDS, node: process.version, date: new Date().toISOString(), rows }, null, 2)}\n`);
  const count = (v: Row['verdict']): number => rows.filter((r) => r.verdict === v).length;
  const md = [
    '# Does the advice hold on seeds no study ran?',
    '',
    `${meshes} random meshes (scripts/advice-check.ts, seed ${seed}), each studied in a random mode at budget ${budget}; every recommendation that claims to meet the SLOs run on ${CHECK_SEEDS.length} further seeds (${CHECK_SEEDS[0]}…) and judged on the means there. Node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores.`,
    '',
    `Claims: ${count('holds') + count('MISSES')}; held: ${count('holds')}; **missed: ${count('MISSES')}**. No claim (the study said no configuration meets the SLOs): ${count('no claim')}. Skipped (too few messages to judge): ${count('skipped')}.`,
    '',
    '| mesh | mode | SLO p99 / delivery (gold class) | recommendation | claims the SLOs | p99, mean of 20 seeds | delivery, mean | gold p99 / delivery, means | verdict |',
    '| ---: | --- | --- | --- | --- | ---: | ---: | ---: | --- |',
    ...rows.map(
      (r) =>
        `| ${r.mesh} | ${r.mode} | ${r.slo.p99Ms} ms / ${pct(r.slo.deliveryRatio, 1)}${r.slo.gold !== undefined ? ` (${r.slo.gold.p99Ms} ms / ${pct(r.slo.gold.deliveryRatio, 1)})` : ''} | ${r.action} | ${r.claims ? 'yes' : 'no'} | ${r.p99Ms !== null ? `${r.p99Ms.toFixed(1)} ms` : '–'} | ${r.deliveryRatio !== null ? pct(r.deliveryRatio, 3) : '–'} | ${r.gold !== undefined ? `${r.gold.p99Ms.toFixed(1)} ms / ${pct(r.gold.deliveryRatio, 3)}` : '–'} | ${r.verdict}${r.why !== undefined ? ` (${r.why})` : ''} |`,
    ),
    '',
  ].join('\n');
  writeFileSync(path.join(values.out, 'advice-check.md'), md);
  process.stdout.write(`${md.split('\n')[4]}\n`);
}

await main();
