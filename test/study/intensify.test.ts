import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildSpace } from '../../sim/study/space.js';
import { decode, encode } from '../../sim/study/codec.js';
import { Candidates } from '../../sim/study/strategies/candidates.js';
import { Intensifier } from '../../sim/study/strategies/intensify.js';
import { LADDER, TOP } from '../../sim/study/fidelity.js';
import { compareOutcomes, makeObjective, materiallyBetter } from '../../sim/study/objective.js';
import type { Proposal } from '../../sim/study/strategies/types.js';
import type { Outcome } from '../../sim/study/types.js';
import { scenarioOf } from '../helpers.js';
import { outcome } from './fakes.js';
import { driveIntensifier } from './drive-intensifier.js';

const obj = makeObjective('performance', { p99: null, deliveryRatio: null });
const space = buildSpace(
  scenarioOf({
    duration: '5s',
    roles: { api: { count: 2, service: 1 } },
    workload: [{ pattern: 'poisson', to: 'api', rate: 10 }],
    config: { hedge: { after: 1500 }, timeout: { perTry: 3000 } },
    search: { only: ['hedge.after', 'timeout.perTry'] },
  }),
);

/**
 * A made-up mesh: p99 is least with a hedge after 400 ms and grows with the
 * log-distance from it; the timeout does nothing. `noise` adds what one seed
 * on the polling rung would (a fixed pattern per configuration).
 */
function measure(p: Proposal, noise = 0, optimum = 400): Outcome {
  const hedge = p.config.hedge?.after ?? 10_000;
  const jitter = noise * Math.sin(hedge * 12.9898);
  return outcome({ p99: 300 + 200 * Math.abs(Math.log(hedge / optimum)) + (p.fidelity.level === TOP.level ? 0 : jitter) });
}

function run(noise: number, budget: number, improves = (a: Outcome | null, b: Outcome | null) => compareOutcomes(obj, a, b) < 0, optimum = 400) {
  const candidates = new Candidates(space);
  const numeric = space.dims.map((d) => d.kind === 'int' || d.kind === 'float');
  const intens = new Intensifier(candidates, numeric, (pt) => decode(space, pt).active, (a, b) => compareOutcomes(obj, a, b), improves);
  // The incumbent as the search left it: measured on the polling rung and at the top.
  const start = candidates.at(encode(space, space.base), LADDER[1]!);
  for (const f of [LADDER[1]!, TOP]) intens.observe({ proposal: { ...start, fidelity: f }, outcome: measure({ ...start, fidelity: f }, noise, optimum) });
  const { spent, asked } = driveIntensifier(intens, budget, (p) => measure(p, noise, optimum));
  const tops = asked.filter((p) => p.fidelity === TOP);
  const best: number = [start, ...tops].map((p) => p.config.hedge!.after!).reduce((a, b) => (Math.abs(Math.log(a / optimum)) < Math.abs(Math.log(b / optimum)) ? a : b));
  return { spent, asked, best };
}

test('the pattern search walks a knob to its optimum and drops the knob that does nothing', () => {
  const { spent, asked, best } = run(0, 40);
  assert.ok(spent <= 40);
  assert.ok(best > 400 / 1.15 && best < 400 * 1.15, `hedge after ${best} ms`);
  // The timeout's two moves measured what the incumbent measured: it is polled in the first round only.
  const timeoutMoves = asked.filter((p) => p.config.timeout?.perTry !== 3000);
  assert.is(timeoutMoves.length, 2);
});

test('a far optimum is reached by pattern moves: the knob that gained is pushed on, alone, at a growing step', () => {
  // From a hedge after 1.5 s to an optimum at 5 ms: more than two decades along one knob.
  const { spent, asked, best } = run(0, 30, undefined, 5);
  assert.ok(spent <= 30);
  assert.ok(best > 5 / 1.15 && best < 5 * 1.15, `hedge after ${best} ms`);
  // Most rounds were single pattern moves, not full polls of both knobs.
  const timeoutMoves = asked.filter((p) => p.config.timeout?.perTry !== 3000);
  assert.ok(timeoutMoves.length <= 4, `${timeoutMoves.length} timeout moves`);
  // Two thirds of that budget already end within 1.25× (one knob at a time ended 7× off).
  const shorter = run(0, 20, undefined, 5).best;
  assert.ok(shorter > 5 / 1.25 && shorter < 5 * 1.25, `hedge after ${shorter} ms at budget 20`);
});

test('it stays within its budget, counting the promotion it may need', () => {
  for (const budget of [0, 1, 2, 3, 5, 9]) assert.ok(run(0, budget).spent <= budget, `budget ${budget}`);
});

test('a move must gain more than 2% to be taken: a knob near its optimum stays where it is', () => {
  // Noise of ±15 ms on the polling rung against gains of a few ms near the optimum.
  const strict = run(15, 40, (a, b) => materiallyBetter(obj, a, b));
  const promotions = strict.asked.filter((p) => p.fidelity === TOP);
  const loose = run(15, 40);
  assert.ok(promotions.length <= loose.asked.filter((p) => p.fidelity === TOP).length);
  assert.ok(strict.best > 400 / 1.4 && strict.best < 400 * 1.4, `hedge after ${strict.best} ms`);
});

test.run();
