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
