/**
 * The Optuna arm of the strategy benchmark: bench/peers/optuna_study.py (TPE
 * on meshtune's own search space, one simulation per trial on a fixed seed,
 * in one long-lived meshtune process) in a child process. It needs a Python with Optuna (Debian's
 * `python3-optuna`); without one the arm is skipped, and the benchmark says so.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MeshConfig, Scenario } from '../../sim/scenario/types.js';
import type { Mode } from '../../sim/study/types.js';
import { makeObjective } from '../../sim/study/objective.js';
import YAML from 'yaml';
import { repoRoot } from './library.js';

/** The first Python that imports optuna, or null. Debian's package installs into the system Python. */
export function findOptunaPython(): string | null {
  for (const py of ['/usr/bin/python3', 'python3']) {
    try {
      execFileSync(py, ['-c', 'import optuna'], { stdio: 'ignore' });
      return py;
    } catch {
      // try the next one
    }
  }
  return null;
}

export interface PeerResult {
  config: MeshConfig;
  wallMs: number;
}

/**
 * One Optuna study of `trials` trials on a scenario. Its trials run the
 * scenario with its `config` emptied: a trial's configuration is the whole
 * configuration (what Optuna leaves off is off), as a meshtune candidate is,
 * instead of a patch over the current one that could never switch its
 * timeout off.
 */
export async function optunaStudy(python: string, scenario: Scenario, mode: Mode, trials: number, seed: number): Promise<PeerResult> {
  if (scenario.workload.some((w) => w.pattern === 'trace')) throw new Error(`${scenario.name}: the Optuna arm does not copy trace files`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'meshtune-optuna-'));
  try {
    const file = path.join(dir, 'scenario.json');
    const doc = YAML.parse(readFileSync(scenario.file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...doc, config: {} }));
    const out = path.join(dir, 'best.json');
    const slo = makeObjective(mode, scenario.slo).slo;
    const args = [
      path.join(repoRoot(), 'bench', 'peers', 'optuna_study.py'),
      '--server', fileURLToPath(new URL('../peers/simulate-server.js', import.meta.url)),
      '--scenario', file,
      '--mode', mode,
      '--trials', String(trials),
      '--seed', String(seed),
      '--sim-seed', String(seed),
      '--out', out,
      ...(slo.p99 !== null ? ['--p99', String(slo.p99)] : []),
      ...(slo.deliveryRatio !== null ? ['--delivery', String(slo.deliveryRatio)] : []),
    ];
    const started = performance.now();
    await new Promise<void>((resolve, reject) => {
      const child = spawn(python, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`optuna study exited ${code}: ${err.slice(-400)}`))));
    });
    return { config: JSON.parse(readFileSync(out, 'utf8')) as MeshConfig, wallMs: performance.now() - started };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
