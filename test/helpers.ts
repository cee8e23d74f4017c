import { parseScenario } from '../sim/scenario/index.js';
import type { Scenario } from '../sim/scenario/types.js';

/** A scenario from a plain object, through the real loader (units, defaults, checks). */
export function scenarioOf(doc: Record<string, unknown>, name = 'test'): Scenario {
  return parseScenario(JSON.stringify(doc), `${name}.json`);
}

/** Metrics without the fields that legitimately differ between identical runs. */
export function withoutEngine<T extends { engine?: unknown }>(m: T): Omit<T, 'engine'> {
  const { engine: _engine, ...rest } = m;
  return rest;
}
