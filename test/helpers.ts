import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseScenario } from '../sim/scenario/index.js';
import { InputError } from '../sim/scenario/errors.js';
import type { Scenario } from '../sim/scenario/types.js';
import type { ArrivalProcess } from '../sim/workload/arrivals.js';

/** A scenario from a plain object, through the real loader (units, defaults, checks). */
/** The arrival times of `p` after `fromMs` and before `untilMs`, in order. */
export function* arrivalTimes(p: ArrivalProcess, fromMs: number, untilMs: number): Generator<number> {
  const clock = Float64Array.of(fromMs);
  for (p.next(clock); clock[0]! < untilMs; p.next(clock)) yield clock[0]!;
}

export function scenarioOf(doc: Record<string, unknown>, name = 'test'): Scenario {
  return parseScenario(JSON.stringify(doc), `${name}.json`);
}

const temporary: string[] = [];

/** A fresh temporary folder (`meshtune-<purpose>-…`), removed by `removeTemporary`. */
export function tempDir(purpose: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `meshtune-${purpose}-`));
  temporary.push(dir);
  return dir;
}

/** Removes every folder `tempDir` made; test files call it in `test.after`. */
export function removeTemporary(): void {
  for (const dir of temporary.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Metrics without the fields that legitimately differ between identical runs. */
export function withoutEngine<T extends { engine?: unknown }>(m: T): Omit<T, 'engine'> {
  const { engine: _engine, ...rest } = m;
  return rest;
}

/** The InputError that `fn` throws (anything else thrown, or nothing, fails the test). */
export function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (err) {
    if (err instanceof InputError) return err;
    throw new Error(`expected an InputError, got ${String(err)}`);
  }
  throw new Error('expected an InputError, and nothing was thrown');
}
