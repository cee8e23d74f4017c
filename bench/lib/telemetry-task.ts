import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importTraces } from '../../sim/telemetry/index.js';
import type { Batch } from './runner.js';

/** Services of the synthetic trace, called as a chain: 4 spans per request. */
const CHAIN = ['gateway', 'auth', 'catalog', 'db'];
const EPOCH_NS = 1_700_000_000_000_000_000n;

/**
 * `meshtune import otlp` end to end (read, derive, fit, YAML) on a synthetic
 * OTLP JSON file of `ops` spans: requests every 2 ms through a 4-service chain,
 * each call nested in its caller, one request of 5,000 spans per line (as
 * `simulate --spans` writes). The file is written once per size, outside the
 * timed batches after the warm-up.
 */
export function importOtlp(): Batch {
  const files = new Map<number, string>();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'meshtune-bench-import-'));
  return (ops) => {
    let file = files.get(ops);
    if (file === undefined) {
      file = path.join(dir, `${ops}.otlp.json`);
      writeFileSync(file, synthetic(ops));
      files.set(ops, file);
    }
    return importTraces('otlp', [file]).inferred.spans;
  };
}

function synthetic(spans: number): string {
  const lines: string[] = [];
  let batch: Array<{ service: string; span: unknown }> = [];
  const flush = (): void => {
    const by = new Map<string, unknown[]>();
    for (const { service, span } of batch) {
      const list = by.get(service);
      if (list === undefined) by.set(service, [span]);
      else list.push(span);
    }
    lines.push(JSON.stringify({ resourceSpans: [...by].map(([s, list]) => ({ resource: { attributes: [{ key: 'service.name', value: { stringValue: s } }] }, scopeSpans: [{ spans: list }] })) }));
    batch = [];
  };
  for (let i = 0; i < spans; i++) {
    const req = Math.floor(i / CHAIN.length);
    const depth = i % CHAIN.length;
    const startUs = req * 2000 + depth * 100 + ((req * 7919) % 50);
    const durUs = 1500 - depth * 300;
    const id = (n: number): string => n.toString(16).padStart(16, '0');
    batch.push({
      service: CHAIN[depth]!,
      span: {
        traceId: req.toString(16).padStart(32, '0'),
        spanId: id(i + 1),
        ...(depth > 0 ? { parentSpanId: id(i) } : {}),
        startTimeUnixNano: String(EPOCH_NS + BigInt(startUs) * 1000n),
        endTimeUnixNano: String(EPOCH_NS + BigInt(startUs + durUs) * 1000n),
      },
    });
    if (batch.length === 5000) flush();
  }
  if (batch.length > 0) flush();
  return lines.join('\n');
}
