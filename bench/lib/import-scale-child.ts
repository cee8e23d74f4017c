import { importTraces } from '../../sim/telemetry/index.js';

/**
 * One measured import in a fresh process (so that its peak RSS is the
 * import's alone): `node import-scale-child.js <file.otlp.jsonl>` prints
 * `{spans, wallMs, cpuMs, peakRssMb, traces}` as JSON on stdout.
 */
const file = process.argv[2];
if (file === undefined) throw new Error('usage: import-scale-child <otlp json lines file>');
const t0 = performance.now();
const c0 = process.cpuUsage();
const r = importTraces('otlp', [file]);
const wallMs = performance.now() - t0;
const c = process.cpuUsage(c0);
process.stdout.write(
  `${JSON.stringify({
    spans: r.spansRead,
    traces: r.inferred.traces,
    wallMs,
    cpuMs: (c.user + c.system) / 1000,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  })}\n`,
);
