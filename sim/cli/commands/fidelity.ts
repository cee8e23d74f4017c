import { resolveConfig, resolveScenario } from '../../api/inputs.js';
import { checkSeed } from '../../api/options.js';
import { parseDuration } from '../../scenario/units.js';
import { TELEMETRY_FORMATS, isTelemetryFormat } from '../../telemetry/index.js';
import { fidelity } from '../../telemetry/fidelity.js';
import { fidelityText } from '../../telemetry/fidelity-text.js';
import { UsageError, VerdictFailure } from '../errors.js';
import { sampleRateOption, seedOption, stringOption } from '../options.js';
import { print, printJson } from '../output.js';

export interface FidelityFlags {
  against?: unknown;
  tolerance?: unknown;
  config?: unknown;
  seed?: unknown;
  window?: unknown;
  sampleRate?: unknown;
  json?: boolean;
}

/**
 * `meshtune fidelity <scenario> --against <format> <file…>`: the scenario
 * simulated and compared with the traced mesh (SPEC §11.3); exit 1 when a
 * p50 or p90 is off by more than the tolerance.
 */
export function fidelityCommand(scenarioArg: string, files: string[], flags: FidelityFlags): void {
  const format = stringOption(flags.against, '--against');
  if (format === undefined || !isTelemetryFormat(format)) {
    throw new UsageError(`--against: expected a trace format (${TELEMETRY_FORMATS.join(', ')}), got ${format === undefined ? 'nothing' : `'${format}'`}`);
  }
  if (files.length === 0) throw new UsageError(`fidelity: expected the trace files after the scenario (meshtune fidelity <scenario> --against ${format} <file…>)`);
  const tolerance = toleranceOption(flags.tolerance);
  const sc = resolveScenario(scenarioArg);
  const config = resolveConfig(sc, stringOption(flags.config, '--config'));
  const seed = flags.seed === undefined ? sc.seed : checkSeed(seedOption(flags.seed, '--seed', 0), 'seed');
  const windowText = stringOption(flags.window, '--window');
  let windowMs: number | undefined;
  if (windowText !== undefined) {
    const w = parseDuration(windowText);
    if (!w.ok || !(w.value > 0)) throw new UsageError(`--window: expected a duration like 5m or 300s, got '${windowText}'`);
    windowMs = w.value;
  }
  const sampleRate = sampleRateOption(flags.sampleRate);
  const report = fidelity(sc, format, files, {
    config,
    seed,
    tolerance,
    ...(windowMs !== undefined ? { windowMs } : {}),
    ...(sampleRate !== undefined ? { sampleRate } : {}),
  });
  if (flags.json) printJson(report);
  else print(fidelityText(report));
  if (!report.pass) throw new VerdictFailure(`the scenario is outside the tolerance of ${tolerance * 100}% on ${report.rows.filter((r) => !r.pass).map((r) => r.name).join(', ')}`);
}

/** `10%` or `0.1`; default 10%. */
function toleranceOption(value: unknown): number {
  const text = stringOption(value, '--tolerance');
  if (text === undefined) return 0.1;
  const m = /^\s*([0-9]*\.?[0-9]+)\s*(%?)\s*$/.exec(text);
  const n = m === null ? NaN : Number(m[1]) / (m[2] === '%' ? 100 : 1);
  if (!(n > 0 && n <= 10)) throw new UsageError(`--tolerance: expected a relative difference like 10% or 0.1, got '${text}'`);
  return n;
}
