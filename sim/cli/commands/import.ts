import { parseDuration } from '../../scenario/units.js';
import { TELEMETRY_FORMATS, importTraces, isTelemetryFormat } from '../../telemetry/index.js';
import { UsageError } from '../errors.js';
import { sampleRateOption, stringOption } from '../options.js';
import { checkOutputFile, writeOutput } from '../paths.js';
import { note, print } from '../output.js';

export interface ImportFlags {
  out?: unknown;
  window?: unknown;
  name?: unknown;
  sampleRate?: unknown;
}

/**
 * `meshtune import <format> <file…>`: a scenario from a running mesh's traces
 * (SPEC §11). The YAML goes to `--out` or stdout; what was read, and what
 * could not be used, to stderr.
 */
export function importCommand(format: string | undefined, files: string[], flags: ImportFlags): void {
  if (format === undefined || !isTelemetryFormat(format)) {
    throw new UsageError(`import: expected a format (${TELEMETRY_FORMATS.join(', ')}), got ${format === undefined ? 'nothing' : `'${format}'`}`);
  }
  if (files.length === 0) throw new UsageError(`import ${format}: expected at least one trace file`);
  const outOption = stringOption(flags.out, '--out');
  const out = outOption === undefined ? undefined : checkOutputFile(outOption, '--out');
  const windowMs = windowOption(flags.window);
  const name = stringOption(flags.name, '--name');
  const sampleRate = sampleRateOption(flags.sampleRate);
  const r = importTraces(format, files, {
    ...(windowMs !== undefined ? { windowMs } : {}),
    ...(name !== undefined ? { name } : {}),
    ...(sampleRate !== undefined ? { sampleRate } : {}),
  });
  if (out === undefined) print(r.yaml);
  else writeOutput(out, r.yaml, '--out');
  const m = r.inferred;
  const sampled = sampleRate !== undefined && sampleRate < 1 ? ` (the mesh's, from a ${sampleRate} sample)` : '';
  const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;
  note(`read ${count(r.spansRead, 'span')}: ${count(m.traces, 'request')}, ${count(m.roles.length, 'service')}, ${count(m.paths.length, 'path')}, ${m.arrivals.ratePerSec.toFixed(2)} requests/s${sampled}${out !== undefined ? `; wrote ${out}` : ''}`);
  for (const line of r.diagnostics.lines()) note(line);
}

function windowOption(value: unknown): number | undefined {
  const text = stringOption(value, '--window');
  if (text === undefined) return undefined;
  const r = parseDuration(text);
  if (!r.ok || !(r.value > 0)) throw new UsageError(`--window: expected a duration like 5m or 300s, got '${text}'`);
  return r.value;
}
