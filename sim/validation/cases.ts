import type { Metrics } from '../metrics/types.js';
import { parseScenario } from '../scenario/index.js';
import type { Scenario } from '../scenario/types.js';
import { forkJoin2MM1, mg1, md1, mm1, mm1k, mm1SojournQuantile, mmc, tandemMM1 } from './analytic.js';

/**
 * The queueing systems `meshtune validate` checks (SPEC §8). Loads are chosen
 * so that at 10⁶ messages the simulation's own 95% CI on each mean is about
 * ±1% or narrower: a 2% bound then tests the model, not the sampling noise
 * (at ρ = 0.8 an M/M/1's mean has a CI of about ±2.7% at that size). Each is an
 * ordinary scenario — one or two roles, external Poisson traffic, plain
 * defaults — so the check exercises the real loader, model and metrics, and
 * each metric is compared with its closed form. Rates are per ms (service
 * means are 1 ms or so), so a case's duration is messages / λ.
 */
export interface ValidationMetric {
  name: string;
  /** The closed-form value. */
  analytic: number;
  /** The same quantity read from one run's metrics. */
  measure(m: Metrics): number;
  /**
   * Tail quantiles are checked against the confidence interval only: at 10⁶
   * messages a p99's own 95% CI is wider than ±2%, so a 2% bound would judge
   * the noise, not the model.
   */
  ciOnly?: true;
}

export interface ValidationCase {
  id: string;
  title: string;
  /** Arrival rate, per ms. */
  lambda: number;
  scenario(messages: number): Scenario;
  metrics: ValidationMetric[];
}

const W = (m: Metrics): number => m.latencyMs.mean;

/** A validation scenario: roles, Poisson arrivals at λ per ms through `stages`. */
function queueScenario(
  id: string,
  lambdaPerMs: number,
  roles: Record<string, { workers?: number; service: unknown }>,
  stages: unknown[],
  messages: number,
  config: Record<string, unknown> = {},
): Scenario {
  const duration = messages / lambdaPerMs;
  const doc = {
    name: id,
    duration,
    // 1% of the run, and at least 1,000 service times, to forget the empty start.
    warmup: Math.max(duration * 0.01, 1000),
    seed: 1,
    roles: Object.fromEntries(Object.entries(roles).map(([k, v]) => [k, { count: 1, workers: v.workers ?? 1, service: v.service }])),
    workload: [{ pattern: 'poisson', to: stages[0], then: stages.slice(1), rate: lambdaPerMs * 1000 }],
    config,
  };
  return parseScenario(JSON.stringify(doc), `validate/${id}.json`);
}

export function validationCases(): ValidationCase[] {
  const exp1 = { dist: 'exp', mean: 1 };
  return [
    {
      id: 'mm1',
      title: 'M/M/1, ρ = 0.5',
      lambda: 0.5,
      scenario: (n) => queueScenario('mm1', 0.5, { server: { service: exp1 } }, ['server'], n),
      metrics: [
        { name: 'mean time in system (ms)', analytic: mm1(0.5, 1).W, measure: W },
        { name: 'p99 time in system (ms)', analytic: mm1SojournQuantile(0.5, 1, 0.99), measure: (m) => m.latencyMs.p99, ciOnly: true },
        { name: 'utilisation', analytic: 0.5, measure: (m) => m.utilization.server! },
      ],
    },
    {
      id: 'mmc',
      title: 'M/M/4 (Erlang C), ρ = 0.7',
      lambda: 2.8,
      scenario: (n) => queueScenario('mmc', 2.8, { server: { workers: 4, service: exp1 } }, ['server'], n),
      metrics: [
        { name: 'mean time in system (ms)', analytic: mmc(2.8, 1, 4).W, measure: W },
        { name: 'utilisation', analytic: 0.7, measure: (m) => m.utilization.server! },
      ],
    },
    {
      id: 'mm1k',
      // Offered load above 1: only the finite buffer keeps it stable.
      title: 'M/M/1/K, K = 10, ρ = 1.2',
      lambda: 1.2,
      // K counts the one in service: the waiting buffer holds K − 1.
      scenario: (n) =>
        queueScenario('mm1k', 1.2, { server: { service: exp1 } }, ['server'], n, { buffer: { capacity: 9 } }),
      metrics: [
        {
          name: 'blocking probability',
          analytic: mm1k(1.2, 1, 10).blocking,
          measure: (m) => m.messages.lost.overflow / m.messages.generated,
        },
        { name: 'mean time in system, admitted (ms)', analytic: mm1k(1.2, 1, 10).W, measure: W },
      ],
    },
    {
      id: 'md1',
      title: 'M/D/1, ρ = 0.7',
      lambda: 0.7,
      scenario: (n) => queueScenario('md1', 0.7, { server: { service: 1 } }, ['server'], n),
      metrics: [{ name: 'mean time in system (ms)', analytic: md1(0.7, 1).W, measure: W }],
    },
    {
      id: 'mg1',
      // cv = 0.5 sits between M/D/1 (cv 0) and M/M/1 (cv 1), so the check tells
      // the three apart; heavier tails need far more than 10⁶ messages for a 2% error.
      title: 'M/G/1 (Pollaczek–Khinchine), lognormal service cv = 0.5, ρ = 0.7',
      lambda: 0.7,
      scenario: (n) =>
        queueScenario('mg1', 0.7, { server: { service: { dist: 'lognormal', mean: 1, cv: 0.5 } } }, ['server'], n),
      metrics: [{ name: 'mean time in system (ms)', analytic: mg1(0.7, { mean: 1, cv: 0.5 }).W, measure: W }],
    },
    {
      id: 'tandem',
      title: 'Tandem M/M/1 → M/M/1 (Jackson/Burke), λ = 0.6',
      lambda: 0.6,
      scenario: (n) =>
        queueScenario(
          'tandem',
          0.6,
          { first: { service: exp1 }, second: { service: { dist: 'exp', mean: 0.8 } } },
          ['first', 'second'],
          n,
        ),
      metrics: [
        { name: 'mean time in system (ms)', analytic: tandemMM1(0.6, 1, 1.25).W, measure: W },
        {
          name: 'p99 time in system (ms)',
          analytic: tandemMM1(0.6, 1, 1.25).p99,
          measure: (m) => m.latencyMs.p99,
          ciOnly: true,
        },
      ],
    },
    {
      id: 'forkjoin',
      // The fork costs nothing: the message's time is the later of its two tasks.
      title: 'Fork–join of two M/M/1 (Flatto–Hahn, Nelson–Tantawi), ρ = 0.6',
      lambda: 0.6,
      scenario: (n) =>
        queueScenario(
          'forkjoin',
          0.6,
          { fork: { service: 0 }, left: { service: exp1 }, right: { service: exp1 } },
          ['fork', { parallel: ['left', 'right'] }],
          n,
        ),
      metrics: [
        { name: 'mean time in system (ms)', analytic: forkJoin2MM1(0.6, 1).W, measure: W },
        { name: 'utilisation of a branch', analytic: 0.6, measure: (m) => m.utilization.left! },
      ],
    },
  ];
}
