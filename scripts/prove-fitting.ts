/**
 * The fitting claim of SPEC §11 at full size, too heavy for the test suite
 * (test/telemetry/fit.test.ts re-checks it on the first 40 trials): samples of
 * 2,000 drawn from each supported family are recognised as that family in
 * ≥ 95% of 100 trials, with every parameter within 5% of the truth. Both parts
 * are reported as measured, per family, over all 100 trials (a trial whose
 * family was not chosen counts as a miss for the parameters too) and, for the
 * parameters, also among the trials that were recognised. Besides the
 * family's own parameters (gamma's shape and scale, …), the parameters the
 * scenario file is written with are checked: the mean and the coefficient of
 * variation of the distribution written (exp {mean}, lognormal {mean, cv},
 * weibull {mean, shape}; gamma has no scenario form and is written as 100
 * quantiles of the sample), against the truth's mean and cv. Writes
 * results/telemetry/fitting.json and fitting.md.
 *
 * Run: node --import tsx scripts/prove-fitting.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gamma as gammaFn, type DistSpec } from '../sim/engine/index.js';
import { FAMILIES, fitSample, type Family } from '../sim/telemetry/index.js';
import { EMPIRICAL_POINTS } from '../sim/telemetry/fit.js';
import { DRAW, rng, trialSeed } from '../test/telemetry/draws.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'results/telemetry');

const TRIALS = 100;
const N = 2000;
const RECOGNISED = 0.95;
const WITHIN = 0.05;

interface FamilyResult {
  family: Family;
  truth: number[];
  trials: number;
  recognised: number;
  /** Trials recognised with every parameter within 5%. */
  within: number;
  /** What was chosen instead, when not the family. */
  chosenInstead: Record<string, number>;
  /** Per parameter: trials (among the recognised) whose estimate missed by more than 5%. */
  missesByParam: number[];
  /** Per parameter: the largest relative error among the recognised trials. */
  worstRelError: number[];
  holds: boolean;
  /** The truth's mean and cv. */
  truthMeanCv: [number, number];
  /** Trials (of all) whose written distribution has mean and cv within 5% of the truth's. */
  writtenWithin: number;
  /** Trials whose written mean, cv missed by more than 5%. */
  writtenMisses: [number, number];
  /** The largest relative error of the written mean, cv. */
  worstWritten: [number, number];
  writtenHolds: boolean;
}

/** Mean and cv of each family at its parameters (the DRAW order: exp [mean], lognormal [mu, sigma], gamma [k, θ], weibull [k, λ]). */
function meanCv(family: Family, p: number[]): [number, number] {
  const [a, b] = [p[0]!, p[1] ?? 0];
  switch (family) {
    case 'exp':
      return [a, 1];
    case 'lognormal':
      return [Math.exp(a + (b * b) / 2), Math.sqrt(Math.expm1(b * b))];
    case 'gamma':
      return [a * b, 1 / Math.sqrt(a)];
    case 'weibull':
      return weibullMeanCv(b, a);
  }
}

function weibullMeanCv(scale: number, k: number): [number, number] {
  const g1 = gammaFn(1 + 1 / k);
  return [scale * g1, Math.sqrt(gammaFn(1 + 2 / k) / (g1 * g1) - 1)];
}

/** Mean and cv of a distribution as the scenario file holds it. */
function writtenMeanCv(d: DistSpec): [number, number] {
  switch (d.dist) {
    case 'exp':
      return [d.mean, 1];
    case 'lognormal':
      return [d.mean, d.cv];
    case 'weibull': {
      const [, cv] = weibullMeanCv(1, d.shape);
      return [d.mean, cv];
    }
    case 'empirical': {
      const m = d.values.reduce((x, y) => x + y, 0) / d.values.length;
      const v = d.values.reduce((x, y) => x + (y - m) ** 2, 0) / d.values.length;
      return [m, Math.sqrt(v) / m];
    }
    default:
      throw new Error(`prove-fitting: no mean and cv for ${d.dist}`);
  }
}

function prove(family: Family): FamilyResult {
  const { draw, params } = DRAW[family];
  const r: FamilyResult = {
    family, truth: params, trials: TRIALS, recognised: 0, within: 0, chosenInstead: {},
    missesByParam: params.map(() => 0), worstRelError: params.map(() => 0), holds: false,
    truthMeanCv: meanCv(family, params), writtenWithin: 0, writtenMisses: [0, 0], worstWritten: [0, 0], writtenHolds: false,
  };
  for (let t = 0; t < TRIALS; t++) {
    const u = rng(trialSeed(family, t));
    const fit = fitSample(Array.from({ length: N }, () => draw(u)));
    const written = writtenMeanCv(fit.spec);
    let writtenOk = true;
    written.forEach((w, i) => {
      const rel = Math.abs(w - r.truthMeanCv[i]!) / r.truthMeanCv[i]!;
      r.worstWritten[i] = Math.max(r.worstWritten[i]!, rel);
      if (rel > WITHIN) {
        r.writtenMisses[i] = r.writtenMisses[i]! + 1;
        writtenOk = false;
      }
    });
    if (writtenOk) r.writtenWithin++;
    if (fit.chosen !== family) {
      r.chosenInstead[fit.chosen] = (r.chosenInstead[fit.chosen] ?? 0) + 1;
      continue;
    }
    r.recognised++;
    const f = fit.fits.find((x) => x.family === family)!;
    let ok = true;
    f.params.forEach((p, i) => {
      const rel = Math.abs(p - params[i]!) / Math.abs(params[i]!);
      r.worstRelError[i] = Math.max(r.worstRelError[i]!, rel);
      if (rel > WITHIN) {
        r.missesByParam[i]!++;
        ok = false;
      }
    });
    if (ok) r.within++;
  }
  r.holds = r.recognised >= RECOGNISED * TRIALS && r.within >= RECOGNISED * TRIALS;
  r.writtenHolds = r.writtenWithin >= RECOGNISED * TRIALS;
  return r;
}

const PARAM_NAMES: Record<Family, string[]> = {
  exp: ['mean'],
  lognormal: ['mu', 'sigma'],
  gamma: ['shape k', 'scale θ'],
  weibull: ['shape k', 'scale λ'],
};

/**
 * How often any estimator must miss by 5% on the gamma shape: the maximum-
 * likelihood k̂ is asymptotically normal with variance k / (n (k ψ'(k) − 1))
 * (the Cramér–Rao bound, which no unbiased estimator beats), so the expected
 * share of trials beyond 5% follows from the normal tail.
 */
function gammaNote(r: FamilyResult): string[] {
  const k = r.truth[0]!;
  const sd = Math.sqrt(k / (N * (k * trigamma(k) - 1))) / k;
  const miss = 2 * (1 - normalCdf(WITHIN / sd));
  return [
    `Gamma is fitted by maximum likelihood (sim/telemetry/fit.ts: Newton on ln k − ψ(k) = ln mean − mean(ln x) from Minka's closed-form start),`,
    `the estimator of least variance. At shape ${k} the maximum-likelihood shape has a relative standard error of ${(sd * 100).toFixed(1)}% at n = ${N}`,
    `(Cramér–Rao: Var k̂ = k / (n (k ψ′(k) − 1))), so about ${(miss * 100).toFixed(0)}% of trials are expected to miss 5% on the shape`,
    `whatever the fitting method; the scale θ = mean / k̂ moves with it. The ${r.within}/${TRIALS} measured is that sampling error, not a fault`,
    `of the fit; at this shape, 5% in 95% of trials needs about ${Math.ceil(N * (sd / (WITHIN / 1.96)) ** 2)} samples. The claim on gamma's native parameters is not met (${r.within}/${TRIALS} < 95) and is left as stated;`,
    `the parameters the scenario is written with (mean and cv, table above) are a different matter: ${r.writtenWithin}/${TRIALS} within 5%.`,
    '',
  ];
}

function trigamma(x: number): number {
  let r = 0;
  for (; x < 20; x++) r += 1 / (x * x);
  return r + 1 / x + 1 / (2 * x * x) + 1 / (6 * x ** 3) - 1 / (30 * x ** 5);
}

function normalCdf(z: number): number {
  // Abramowitz–Stegun 26.2.17 (|error| < 7.5e-8), for z ≥ 0.
  const t = 1 / (1 + 0.2316419 * z);
  const poly = t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  return 1 - (Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI)) * poly;
}

const results = FAMILIES.map(prove);
mkdirSync(outDir, { recursive: true });
writeFileSync(path.join(outDir, 'fitting.json'), `${JSON.stringify({ trials: TRIALS, n: N, recognisedAtLeast: RECOGNISED, within: WITHIN, results }, null, 2)}\n`);
const pctOf = (k: number): string => `${((k / TRIALS) * 100).toFixed(0)}%`;
const md = [
  '# Fitting proof (scripts/prove-fitting.ts)',
  '',
  `For each family, ${TRIALS} samples of ${N} values (seeds \`1000·t + len(family)\`, t = 0…${TRIALS - 1}; the test re-checks t < 40) are fitted by \`fitSample\`.`,
  `The claim: the family is chosen in ≥ ${RECOGNISED * 100}% of trials, with every parameter within ${WITHIN * 100}% of the truth.`,
  '',
  'Native parameters (the family\'s own, as fitted by maximum likelihood):',
  '',
  '| family | truth | recognised | recognised, params within 5% | misses >5% per parameter (of recognised) | worst error per parameter | chosen instead | claim |',
  '|---|---|---|---|---|---|---|---|',
  ...results.map((r) => {
    const names = PARAM_NAMES[r.family];
    const truth = r.truth.map((p, i) => `${names[i]} ${p}`).join(', ');
    const misses = r.missesByParam.map((m, i) => `${names[i]}: ${m}`).join(', ');
    const worst = r.worstRelError.map((e, i) => `${names[i]}: ${(e * 100).toFixed(1)}%`).join(', ');
    const instead = Object.entries(r.chosenInstead).map(([f, k]) => `${f} ${k}`).join(', ') || '—';
    return `| ${r.family} | ${truth} | ${r.recognised}/${TRIALS} (${pctOf(r.recognised)}) | ${r.within}/${TRIALS} (${pctOf(r.within)}) | ${misses} | ${worst} | ${instead} | ${r.holds ? 'holds' : '**fails**'} |`;
  }),
  '',
  `Written parameters (what the scenario file holds: exp {mean}, lognormal {mean, cv}, weibull {mean, shape}, gamma as ${EMPIRICAL_POINTS.toLocaleString('en-US')} quantiles of the sample),`,
  'as mean and coefficient of variation against the truth\'s, over all trials (whatever family was chosen):',
  '',
  '| family | truth mean, cv | mean and cv within 5% | misses >5% (mean, cv) | worst error (mean, cv) | claim |',
  '|---|---|---|---|---|---|',
  ...results.map((r) => {
    const [m, cv] = r.truthMeanCv;
    return `| ${r.family} | ${m.toPrecision(4)}, ${cv.toPrecision(3)} | ${r.writtenWithin}/${TRIALS} (${pctOf(r.writtenWithin)}) | ${r.writtenMisses[0]}, ${r.writtenMisses[1]} | ${(r.worstWritten[0] * 100).toFixed(1)}%, ${(r.worstWritten[1] * 100).toFixed(1)}% | ${r.writtenHolds ? 'holds' : '**fails**'} |`;
  }),
  '',
  ...gammaNote(results.find((r) => r.family === 'gamma')!),
].join('\n');
writeFileSync(path.join(outDir, 'fitting.md'), md);
process.stdout.write(md);
