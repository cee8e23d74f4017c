import { closeSync, openSync, writeSync } from 'node:fs';
import { simulate } from '../../api/simulate.js';
import { SpanRecorder } from '../../metrics/spans.js';
import { otlpLines } from '../../telemetry/otlp-write.js';
import { UsageError } from '../errors.js';
import { checkOutputFile } from '../paths.js';
import { metricsText } from '../../report/metrics-text.js';
import { intOption, limitOptions, sampleRateOption, seedOption, stringOption } from '../options.js';
import { note, print, printJson } from '../output.js';
import { runProgress } from '../progress.js';

export interface SimulateFlags {
  config?: unknown;
  seed?: unknown;
  replications?: unknown;
  json?: boolean;
  timeline?: boolean;
  maxEvents?: unknown;
  maxAgents?: unknown;
  maxPending?: unknown;
  spans?: unknown;
  sampleRate?: unknown;
}

/** `meshtune simulate <scenario>`: one run, or R replications with 95% CIs. */
export function simulateCommand(scenarioArg: string, flags: SimulateFlags): void {
  const config = stringOption(flags.config, '--config');
  const progress = runProgress(`simulate ${scenarioArg}`);
  const seed = flags.seed === undefined ? undefined : seedOption(flags.seed, '--seed', 0);
  const replications = intOption(flags.replications, '--replications', 1, 1, 1000);
  const spansFile = stringOption(flags.spans, '--spans');
  if (spansFile !== undefined) checkOutputFile(spansFile, '--spans');
  const sampleRate = sampleRateOption(flags.sampleRate);
  if (sampleRate !== undefined && spansFile === undefined) throw new UsageError('--sample-rate: only with --spans <file>');
  // The timeline is part of the JSON document: asked for without it, it would be computed and never shown.
  if (flags.timeline === true && flags.json !== true) throw new UsageError('--timeline: only with --json (the per-interval counts are in the JSON document)');
  const spans = spansFile === undefined ? undefined : new SpanRecorder(sampleRate ?? 1, 0);
  let metrics;
  try {
    metrics = simulate(scenarioArg, {
      ...(config !== undefined ? { config } : {}),
      ...(seed !== undefined ? { seed } : {}),
      replications,
      timeline: flags.timeline === true,
      limits: limitOptions(flags),
      onProgress: progress.onProgress,
      onCompile: progress.onCompile,
      ...(spans !== undefined ? { spans } : {}),
    });
  } finally {
    progress.done();
  }
  if (spans !== undefined && spansFile !== undefined) {
    const fd = openSync(spansFile, 'w');
    try {
      for (const line of otlpLines(spans, metrics.seed)) writeSync(fd, `${line}\n`);
    } finally {
      closeSync(fd);
    }
    note(`wrote ${spans.count} spans (OTLP JSON, sample rate ${spans.sampleRate}) to ${spansFile}`);
  }
  if (flags.json) printJson(metrics);
  else print(metricsText(metrics));
}

/** `--sample-rate`: the fraction of messages whose spans are written, in (0, 1]. */
