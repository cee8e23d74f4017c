import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSyntheticOtlp } from './otlp-synthetic.js';
import type { TaskSamples } from './results.js';

/** A task measured whole in fresh processes (not in tinybench batches): a long run with its own peak RSS. */
export interface ProcessTask {
  name: string;
  measure(opts: { quick: boolean; runs: number; log: (line: string) => void }): TaskSamples[];
}

/** Spans of the scale import (quick runs: a tenth). */
export const SCALE_SPANS = 10_000_000;

/**
 * `meshtune import otlp` (read, derive, fit, YAML) of a 10-million-span OTLP
 * JSON Lines file (otlp-synthetic.ts), streamed: each run in a fresh process
 * reports spans per wall second, spans per CPU second (all of the process's
 * threads, the garbage collector's included: the figure a shared machine
 * disturbs least) and its peak resident set. The file is written once to a
 * temporary directory and removed afterwards.
 */
export const importScale: ProcessTask = {
  name: 'import otlp, 10 M spans streamed',
  measure({ quick, runs, log }) {
    const spans = quick ? SCALE_SPANS / 10 : SCALE_SPANS;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'meshtune-bench-scale-'));
    const file = path.join(dir, `${spans}.otlp.jsonl`);
    try {
      log(`  writing ${spans} synthetic spans to ${file}…`);
      const written = writeSyntheticOtlp(file, spans);
      log(`  ${written} spans, ${(statSync(file).size / 1e9).toFixed(2)} GB`);
      const child = fileURLToPath(new URL('./import-scale-child.js', import.meta.url));
      const wall: number[] = [];
      const cpu: number[] = [];
      const rss: number[] = [];
      for (let r = 0; r < runs; r++) {
        const res = spawnSync(process.execPath, [child, file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 });
        if (res.status !== 0) throw new Error(`import-scale: run ${r + 1} exited with ${res.status}`);
        const m = JSON.parse(res.stdout) as { spans: number; wallMs: number; cpuMs: number; peakRssMb: number };
        log(`  run ${r + 1} of ${runs}: ${m.spans} spans in ${(m.wallMs / 1000).toFixed(1)} s wall, ${(m.cpuMs / 1000).toFixed(1)} s CPU, peak RSS ${m.peakRssMb.toFixed(0)} MB`);
        wall.push(m.spans / m.wallMs);
        cpu.push(m.spans / m.cpuMs);
        rss.push(m.peakRssMb);
      }
      const label = quick ? this.name.replace('10 M', '1 M') : this.name;
      return [
        { name: `${label}: wall`, unit: 'kspans/s', higherIsBetter: true, samples: wall },
        { name: `${label}: CPU`, unit: 'kspans/CPU-s', higherIsBetter: true, samples: cpu },
        { name: `${label}: peak RSS`, unit: 'MB', higherIsBetter: false, samples: rss },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
