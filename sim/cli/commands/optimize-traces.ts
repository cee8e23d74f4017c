import { mkdtempSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveScenario } from '../../api/inputs.js';
import { TELEMETRY_FORMATS, importTraces, isTelemetryFormat } from '../../telemetry/index.js';
import { fidelity } from '../../telemetry/fidelity.js';
import { fidelityText } from '../../telemetry/fidelity-text.js';
import { UsageError } from '../errors.js';
import { note } from '../output.js';

export interface ImportedStudy {
  /** The imported scenario's YAML, in a temporary folder until the study folder exists. */
  scenario: string;
  fidelity: string;
}

/** `optimize <mode> --traces <format> <file…>`: the scenario imported from the traces, and its fidelity table. */
export function importForStudy(format: string, files: string[], flags: { resume?: unknown }): ImportedStudy {
  if (!isTelemetryFormat(format)) throw new UsageError(`--traces: expected a trace format (${TELEMETRY_FORMATS.join(', ')}), got '${format}'`);
  if (flags.resume !== undefined) throw new UsageError('--traces: not with --resume (a resumed study keeps its scenario)');
  if (files.length === 0) throw new UsageError(`--traces ${format}: expected the trace files after the mode`);
  const r = importTraces(format, files);
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'meshtune-import-')), 'scenario.yaml');
  writeFileSync(file, r.yaml);
  note(`meshtune: imported ${r.spansRead} spans from ${files.length} ${format} file(s): ${r.inferred.roles.length} services, ${r.inferred.paths.length} paths`);
  for (const line of r.diagnostics.lines()) note(`meshtune: ${line}`);
  const sc = resolveScenario(file);
  const report = fidelity(sc, format, files, { config: sc.config, seed: sc.seed, tolerance: 0.1 });
  return { scenario: file, fidelity: fidelityText(report) };
}

/** Puts the imported scenario in the study folder and the fidelity table at the top of its report.md. */
export function withFidelity(dir: string, markdown: string, imported: ImportedStudy): string {
  copyFileSync(imported.scenario, path.join(dir, 'scenario.yaml'));
  const section = [
    '## Fidelity of the imported scenario',
    '',
    'The scenario (`scenario.yaml` in this folder) was imported from the traces; simulated, it compares with them as follows.',
    '',
    '```',
    imported.fidelity.trimEnd(),
    '```',
    '',
  ].join('\n');
  const reportFile = path.join(dir, 'report.md');
  const text = readFileSync(reportFile, 'utf8');
  const cut = text.indexOf('\n## ');
  const merged = cut < 0 ? `${text}\n${section}` : `${text.slice(0, cut + 1)}${section}\n${text.slice(cut + 1)}`;
  writeFileSync(reportFile, merged);
  const at = markdown.indexOf('\n## ');
  return at < 0 ? `${markdown}\n${section}` : `${markdown.slice(0, at + 1)}${section}\n${markdown.slice(at + 1)}`;
}
