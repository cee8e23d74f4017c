/**
 * The imported scenario as YAML, with a comment beside each value saying
 * where it came from and how well it fits, and at the end the list of what
 * could not be inferred. Durations are written in ms as plain numbers, rates
 * per second, sizes in bytes (SPEC §4).
 */
import type { DistSpec } from '../engine/index.js';
import { FAMILIES, type Fit } from './fit.js';
import { PATH_ARRIVALS_MIN, pct, type Inferred, type InferredRole } from './infer.js';
import type { PathStage } from './path-key.js';

export interface YamlSource {
  format: string;
  files: string[];
  name: string;
}

/** Warm-up: a tenth of the window, at most 30 s — the model starts empty, the mesh did not. */
const WARMUP_SHARE = 0.1;
const WARMUP_MAX_MS = 30_000;

export function scenarioYaml(m: Inferred, src: YamlSource): string {
  const out: string[] = [];
  const w = m.windowMs;
  out.push(`# Imported by \`meshtune import ${src.format}\` from ${src.files.join(', ')}.`);
  out.push(`# ${m.spans} spans in ${m.traces} requests over ${num(w / 1000)} s; end-to-end latency of the answered requests in the trace: p50 ${num(m.latency.p50)} ms, p90 ${num(m.latency.p90)} ms, p99 ${num(m.latency.p99)} ms; ${pct(m.errorRate)} of requests failed (a span in error in their last try).`);
  out.push('# Distributions: maximum-likelihood fits of exp, lognormal, gamma and weibull; the lowest AIC wins when its');
  out.push('# Kolmogorov–Smirnov distance D is below the 1% critical value 1.63/√n, else the sample\'s quantiles (empirical).');
  out.push(`name: ${src.name}`);
  out.push(`duration: ${num(Math.max(1, w))}   # ms: the window of root requests in the trace`);
  out.push(`warmup: ${num(Math.min(w * WARMUP_SHARE, WARMUP_MAX_MS))}   # ms: the model starts empty, the traced mesh was running`);
  out.push('seed: 1');
  out.push('roles:');
  for (const r of m.roles) {
    const orig = r.original !== r.name ? ` (service ${JSON.stringify(r.original)})` : '';
    out.push(`  ${r.name}:${orig ? `   #${orig}` : ''}`);
    out.push(`    count: ${r.count}   # ${r.countFrom}`);
    out.push(`    workers: ${r.workers}   # peak spans open at once on one replica (a lower bound on its slots)`);
    out.push(`    service: ${dist(r.own.spec)}   # own time (span minus its calls), ms: ${fitText(r.own)}`);
    if (r.ownErrors > 0) out.push(`    errors: ${num(r.ownErrorRate)}   # ${ownErrorsText(r, src.format)}`);
    out.push(`    # ${r.spans} spans; parallel calls in ${pct(r.parallelShare)} of its calling spans`);
    out.push(`    # errors ${pct(r.errorRate)}: ${errorsText(r, src.format)}`);
  }
  out.push(m.link === null ? 'links: {latency: 0}   # not inferred (see the list at the end)' : `links: {latency: ${dist(m.link.spec)}}   # gap between a span's end and its hand-off's start, ms: ${fitText(m.link)}; ${linkGapsText(m.linkGaps)}`);
  out.push('# Call graph: caller → callee: probability a caller span makes the call, calls per calling span.');
  for (const e of m.edges) out.push(`#   ${e.from} → ${e.to}: p ${num(e.probability)}, fan-out ${num(e.fanout)} (${e.calls} calls)`);
  const a = m.arrivals;
  out.push(`# Arrivals: ${a.count} root requests, ${num(a.ratePerSec)}/s; index of dispersion ${num(a.idc)} over ${a.bins} bins of ${num(a.binMs)} ms (Poisson's 99% point ${Number.isFinite(a.idcCritical) ? num(a.idcCritical) : 'n/a: too few arrivals'})${a.mmpp ? ': bursty, two-state MMPP fitted' : ': Poisson'} (all paths together; each path with ${PATH_ARRIVALS_MIN} requests or more is judged on its own below).`);
  out.push('workload:');
  const sizeText = m.size === null ? '1000   # bytes: not in the trace' : `${dist(m.size.spec)}   # bytes, root spans' size attribute: ${fitText(m.size)}`;
  for (const p of m.paths) {
    const [to, ...then] = p.stages;
    // A path with requests enough is bursty or not by its own arrivals; a rarer one follows the aggregate's.
    const own = p.arrivals;
    const mmpp = own !== null ? own.mmpp : a.mmpp;
    const whose =
      own === null
        ? `too few requests for arrivals of its own (under ${PATH_ARRIVALS_MIN}): the aggregate's`
        : `its own arrivals: index of dispersion ${num(own.idc)} (Poisson's 99% point ${num(own.idcCritical)})`;
    out.push(`  - pattern: ${mmpp ? 'bursty' : 'poisson'}   # path taken by ${p.traces} requests (${pct(p.share)} of those written)${p.cut > 0 ? `; ${p.cut} later services cut` : ''}; ${whose}`);
    out.push('    from: external');
    out.push(`    to: ${to}`);
    if (then.length > 0) out.push(`    then: [${then.map(stageText).join(', ')}]   # callees in call order, depth first${then.some((s) => typeof s !== 'string') ? '; calls in parallel as a group' : ''}`);
    if (mmpp) {
      // The path's mean rate is the aggregate's share of it (rarer paths spread in, sampling undone): its states keep their ratio.
      const scale = own !== null ? (a.ratePerSec * p.share) / own.ratePerSec : p.share;
      out.push(`    rate: ${num(mmpp.rate * scale)}   # /s in the normal state`);
      out.push(`    burstRate: ${num(mmpp.burstRate * scale)}   # /s in bursts`);
      out.push(`    meanBurst: ${num(mmpp.meanBurstMs)}   # ms`);
      out.push(`    meanGap: ${num(mmpp.meanGapMs)}   # ms`);
    } else {
      out.push(`    rate: ${num(a.ratePerSec * p.share)}   # /s: root requests / window × the path's share`);
    }
    out.push(`    size: ${sizeText}`);
  }
  out.push('# Could not infer (written as stated, never guessed silently):');
  for (const line of m.notInferred) out.push(`#   - ${line}`);
  return `${out.join('\n')}\n`;
}

/** What marks a span as failed, per format (the readers). */
const ERROR_SOURCE: Record<string, string> = {
  otlp: 'spans with status.code 2 (ERROR)',
  jaeger: 'spans tagged error=true or otel.status_code=ERROR',
  zipkin: 'spans with an error tag',
};

function errorsText(r: InferredRole, format: string): string {
  if (format === 'alibaba') return 'not in the trace: the v2021 call graph has no status column (a negative rt is the callee\'s own record of a call, not a failure)';
  const from = ERROR_SOURCE[format] ?? 'error spans';
  if (r.errors === 0) return `0 of ${r.spans} ${from}`;
  const t = r.timeouts;
  const timeouts = t === null
    ? 'timeouts not told apart (no common ceiling of duration among them)'
    : `of which timeouts ${pct(t.rate)} of spans: ${t.count} error spans at the ${num(t.atMs)} ms ceiling (its longest span)`;
  return `${r.errors} of ${r.spans} ${from}; ${timeouts}; ${r.ownErrors} its own (no call of the span failed), ${r.errors - r.ownErrors} passed up from a failed call`;
}

/** The `errors` value's provenance: the role's own errors, not those its callees passed up. */
function ownErrorsText(r: InferredRole, format: string): string {
  const from = ERROR_SOURCE[format] ?? 'error spans';
  return `own errors: n=${r.spans}, ${r.ownErrors} ${from} none of whose calls failed`;
}

/** A stage of `then`: a role, or a parallel group (a branch of one role by its name, a longer one as a list). */
function stageText(s: PathStage): string {
  if (typeof s === 'string') return s;
  return `{parallel: [${s.map((b) => (b.length === 1 ? b[0]! : `[${b.join(', ')}]`)).join(', ')}]}`;
}

export function fitText(f: Fit): string {
  if (f.chosen === 'const') return `n=${f.n}, ${f.reason}`;
  // Every family, fitted or not (a maximum-likelihood fit can fail on a sample: said, not dropped).
  const rest = [
    ...f.fits.slice(0, 4).map((x) => `${x.family} AIC ${num(x.aic)} D=${x.ks.toFixed(3)}`),
    ...(f.fits.length > 0 ? FAMILIES.filter((fam) => !f.fits.some((x) => x.family === fam)).map((fam) => `${fam} not fitted`) : []),
  ].join(', ');
  const head = f.chosen === 'empirical' ? `empirical (${f.reason})` : f.chosen === 'gamma' ? 'gamma, written as quantiles (scenarios have no gamma)' : f.chosen;
  return `n=${f.n}, mean ${num(f.mean)}; ${head}${rest ? `; ${rest}; critical D ${f.ksCritical.toFixed(3)}` : ''}`;
}

/** Which hand-offs the link latency came from (infer.ts `linkGaps`). */
function linkGapsText(g: Inferred['linkGaps']): string {
  if (g.queued === 0) return 'no hand-off queued at its callee (none started as another span there ended)';
  if (g.queuedIncluded) return `includes queueing at the callee: ${g.queued} of ${g.direct + g.queued} hand-offs had queued there, too many to leave out`;
  return `the ${g.direct} hand-offs started on arrival; ${g.queued} that queued at the callee (started as another span there ended) left out`;
}

function dist(d: DistSpec): string {
  switch (d.dist) {
    case 'const':
      return num(d.value);
    case 'exp':
      return `{dist: exp, mean: ${num(d.mean)}}`;
    case 'lognormal':
      return `{dist: lognormal, mean: ${num(d.mean)}, cv: ${num(d.cv)}}`;
    case 'weibull':
      return `{dist: weibull, mean: ${num(d.mean)}, shape: ${num(d.shape)}}`;
    case 'pareto':
      return `{dist: pareto, mean: ${num(d.mean)}, alpha: ${num(d.alpha)}}`;
    case 'uniform':
      return `{dist: uniform, min: ${num(d.min)}, max: ${num(d.max)}}`;
    case 'empirical':
      return `{dist: empirical, values: [${d.values.map(num).join(', ')}]}`;
  }
}

/** Five significant digits, no exponent for ordinary magnitudes. */
export function num(x: number): string {
  if (x === 0 || !Number.isFinite(x)) return '0';
  return String(Number(x.toPrecision(5)));
}
