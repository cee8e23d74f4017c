/**
 * `meshtune simulate` as a long-lived process, for the Optuna peer
 * (optuna_study.py): one request per line on stdin, `{scenario, config,
 * seed}`, answered by one line on stdout, the metrics `simulate --json`
 * prints (or `{error}`). A trial is the same single simulation either way;
 * the process is started once per study instead of once per trial, so the
 * peer's wall time measures its search, not Node's start-up.
 */
import { createInterface } from 'node:readline';
import { simulate } from '../../sim/api/simulate.js';
import type { MeshConfig } from '../../sim/scenario/types.js';

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (line.trim() === '') continue;
  let answer: unknown;
  try {
    const req = JSON.parse(line) as { scenario: string; config: MeshConfig; seed: number };
    answer = simulate(req.scenario, { config: req.config, seed: req.seed });
  } catch (err) {
    answer = { error: err instanceof Error ? err.message : String(err) };
  }
  process.stdout.write(`${JSON.stringify(answer)}\n`);
}
