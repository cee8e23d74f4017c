/**
 * The fitting claim of SPEC §11 at full size, too heavy for the test suite
 * (test/telemetry/fit.test.ts re-checks it on the first 40 trials): samples of
 * 2,000 drawn from each supported family are recognised as that family in
 * ≥ 95% of 100 trials, with every parameter within 5% of the truth. Both parts
 * are reported as measured, per family, over all 100 trials (a trial whose
 * family was not chosen counts as a miss for the parameters too) and, for the
 * parameters, also among the trials that were recognised. Writes
 * results/telemetry/fitting.json and fitting.md.
 *
 * Run: node --import tsx scripts/prove-fitting.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FAMILIES, fitSample, type Family } from '../sim/telemetry/index.js';
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
}

function prove(family: Family): FamilyResult {
  const { draw, params } = DRAW[family];
  const r: FamilyResult = {
    family, truth: params, trials: TRIALS, recognised: 0, within: 0, chosenInstead: {},
    missesByParam: params.map(() => 0), worstRelError: params.map(() => 0), holds: false,
  };
  for (let t = 0; t < TRIALS; t++) {
    const u = rng(trialSeed(family, t));
    const fit = fitSample(Array.from({ length: N }, () => draw(u)));
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
    `Gamma at shape ${k}: the maximum-likelihood shape has a relative standard error of ${(sd * 100).toFixed(1)}% at n = ${N}`,
    `(Cramér–Rao: Var k̂ = k / (n (k ψ′(k) − 1))), so about ${(miss * 100).toFixed(0)}% of trials are expected to miss 5% on the shape`,
    `whatever the fitting method; the scale θ = mean / k̂ moves with it. The ${r.within}/${TRIALS} measured is that sampling error, not a fault`,
    `of the fit; at this shape, 5% in 95% of trials needs about ${Math.ceil(N * (sd / (WITHIN / 1.96)) ** 2)} samples. The claim is not met for gamma and is left as stated.`,
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
  ...gammaNote(results.find((r) => r.family === 'gamma')!),
].join('\n');
writeFileSync(path.join(outDir, 'fitting.md'), md);
process.stdout.write(md);
