import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simulate } from '../../sim/api/simulate.js';
import { SpanRecorder } from '../../sim/metrics/spans.js';
import { loadScenario } from '../../sim/scenario/index.js';
import { importTraces } from '../../sim/telemetry/index.js';
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
