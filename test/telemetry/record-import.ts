import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simulate } from '../../sim/api/simulate.js';
import { SpanRecorder } from '../../sim/metrics/spans.js';
import { loadScenario } from '../../sim/scenario/index.js';
import { derive, Diagnostics, importTraces, readSpans } from '../../sim/telemetry/index.js';
import { infer } from '../../sim/telemetry/infer.js';
import { otlpLines } from '../../sim/telemetry/otlp-write.js';

/**
 * A round trip's first half: one run of the scenario file recorded with every
 * span, written as OTLP JSON in a fresh temporary folder, imported, and the
 * imported YAML written beside it and loaded.
 */
export function recordAndImport(scenarioFile: string, purpose: string) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), `meshtune-${purpose}-`));
  const spans = new SpanRecorder(1, 0);
  const run = simulate(scenarioFile, { spans });
  const file = path.join(tmp, 'run.otlp.json');
  writeFileSync(file, [...otlpLines(spans, run.seed)].join('\n'));
  const imported = importTraces('otlp', [file]);
  const yamlFile = path.join(tmp, 'imported.yaml');
  writeFileSync(yamlFile, imported.yaml);
  return { tmp, spans, run, file, imported, yamlFile, sc: loadScenario(yamlFile) };
}

/**
 * The round trip in the other formats: the first `n` requests of the recorded
 * run, what OTLP infers from them, and an importer of the same spans written
 * in another format (by test/telemetry/convert.ts) into the run's folder.
 */
export function otherFormats(tmp: string, file: string, n = 1000) {
  const { spans: read } = readSpans('otlp', [file]);
  const keep = new Set([...new Set(read.map((s) => s.traceId))].slice(0, n));
  const subset = read.filter((s) => keep.has(s.traceId));
  const want = infer(derive(subset, new Diagnostics()), null);
  const importAs = (format: 'zipkin' | 'jaeger' | 'alibaba', text: string) => {
    const f = path.join(tmp, `run.${format}`);
    writeFileSync(f, text);
    return importTraces(format, [f]).inferred;
  };
  return { subset, want, importAs };
}

/**
 * api hands each message on to db, whose service has a heavy tail (pareto,
 * mean 10 ms, α 1.5); the client gives a try up after 20 ms and sends it again,
 * up to three tries (a db service outlasts 20 ms with probability
 * (3.33/20)^1.5 ≈ 0.07). Written to
 * `dir/<name>.yaml`; returns the path.
 */
export function heavyTailRetries(dir: string, name: string, duration: string, seed: number): string {
  const file = path.join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    [
      `name: ${name}`,
      `duration: ${duration}`,
      'warmup: 500ms',
      `seed: ${seed}`,
      'roles:',
      '  api: {count: 2, workers: 16, service: {dist: exp, mean: 1ms}}',
      '  db: {count: 4, workers: 16, service: {dist: pareto, mean: 10ms, alpha: 1.5}}',
      'workload:',
      '  - {pattern: poisson, to: api, then: [db], rate: 200/s, reply: {size: 1KB}}',
      'config:',
      '  timeout: {perTry: 20ms}',
      '  retry: {maxAttempts: 3, base: 1ms}',
    ].join('\n'),
  );
  return file;
}
