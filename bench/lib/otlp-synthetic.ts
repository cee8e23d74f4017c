import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * A large synthetic OTLP JSON Lines file, written as the OpenTelemetry
 * Collector's file exporter writes one: one ExportTraceServiceRequest per line,
 * its spans grouped by resource (service and instance), lines of SPANS_PER_LINE
 * spans in the order requests finish. Requests arrive as a Poisson stream at
 * RATE per second; each is an 8-span tree over 6 services with nested calls
 * (two of them in parallel), an internal span, a hand-off to a queue consumer,
 * exponential, lognormal and weibull own times, request sizes on the root and
 * 1% errors. Deterministic: the same span count writes the same bytes.
 */
const RATE = 2000;
const SPANS_PER_LINE = 2000;
const EPOCH_NS = 1_700_000_000_000_000_000n;
const INSTANCES: Record<string, number> = { gateway: 4, auth: 2, catalog: 3, db: 2, cache: 2, worker: 3 };

interface OutSpan {
  service: string;
  instance: number;
  spanId: string;
  parentId: string;
  name: string;
  startUs: number;
  endUs: number;
  error: boolean;
  bytes: number;
}

/** Writes `spans` spans (rounded up to whole requests) to `file`; returns the number written. */
export function writeSyntheticOtlp(file: string, spans: number): number {
  const fd = openSync(file, 'w');
  const u = rng(12345);
  const exp = (mean: number): number => -mean * Math.log(u());
  const logn = (median: number, sigma: number): number => median * Math.exp(sigma * Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u()));
  const weib = (scale: number, k: number): number => scale * (-Math.log(u())) ** (1 / k);
  let batch: Array<{ traceId: string; s: OutSpan }> = [];
  let written = 0;
  let t = 0;
  let nextId = 1;
  const id = (): string => (nextId++).toString(16).padStart(16, '0');
  const pick = (service: string): number => Math.floor(u() * INSTANCES[service]!);
  for (let req = 0; written < spans; req++) {
    t += exp(1e6 / RATE);
    const traceId = req.toString(16).padStart(32, '0');
    const out: OutSpan[] = [];
    const span = (service: string, parent: OutSpan | null, name: string, startUs: number, endUs: number): OutSpan => {
      const s = { service, instance: pick(service), spanId: id(), parentId: parent?.spanId ?? '', name, startUs, endUs, error: u() < 0.01, bytes: parent === null ? Math.round(logn(800, 0.5)) : -1 };
      out.push(s);
      return s;
    };
    // gateway → auth (nested) → catalog (nested) → db, cache in parallel; catalog's internal span; a hand-off to worker → db.
    const t0 = Math.round(t);
    const authOwn = exp(300);
    const dbA = weib(900, 2);
    const cacheT = exp(150);
    const catOwn = logn(700, 0.6);
    const catStart = t0 + 200 + authOwn + 50;
    const catEnd = catStart + catOwn + Math.max(dbA, cacheT);
    const gwEnd = catEnd + 100 + exp(100);
    const gw = span('gateway', null, 'GET /items', t0, gwEnd);
    const auth = span('auth', gw, 'check', t0 + 200, t0 + 200 + authOwn);
    void auth;
    const cat = span('catalog', gw, 'list', catStart, catEnd);
    span('catalog', cat, 'render', catStart + 10, catStart + 10 + catOwn / 2);
    span('db', cat, 'SELECT', catStart + catOwn, catStart + catOwn + dbA);
    span('cache', cat, 'GET', catStart + catOwn, catStart + catOwn + cacheT);
    const wStart = gwEnd + exp(500);
    const wOwn = logn(1500, 0.4);
    const w = span('worker', gw, 'process', wStart, wStart + wOwn + 600);
    span('db', w, 'UPDATE', wStart + wOwn, wStart + wOwn + weib(500, 2));
    for (const s of out) batch.push({ traceId, s });
    written += out.length;
    if (batch.length >= SPANS_PER_LINE) {
      writeSync(fd, line(batch));
      batch = [];
    }
  }
  if (batch.length > 0) writeSync(fd, line(batch));
  closeSync(fd);
  return written;
}

function line(batch: Array<{ traceId: string; s: OutSpan }>): string {
  const byResource = new Map<string, unknown[]>();
  for (const { traceId, s } of batch) {
    const key = `${s.service}#${s.instance}`;
    let list = byResource.get(key);
    if (list === undefined) byResource.set(key, (list = []));
    const ns = (us: number): string => String(EPOCH_NS + BigInt(Math.round(us)) * 1000n);
    list.push({
      traceId,
      spanId: s.spanId,
      ...(s.parentId !== '' ? { parentSpanId: s.parentId } : {}),
      name: s.name,
      kind: s.parentId === '' ? 2 : 3,
      startTimeUnixNano: ns(s.startUs),
      endTimeUnixNano: ns(s.endUs),
      attributes: s.bytes >= 0 ? [{ key: 'http.request.body.size', value: { intValue: String(s.bytes) } }] : [],
      status: s.error ? { code: 2 } : {},
    });
  }
  const resourceSpans = [...byResource].map(([key, spans]) => {
    const [service, instance] = key.split('#');
    return {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }, { key: 'service.instance.id', value: { stringValue: key } }] },
      scopeSpans: [{ scope: { name: 'synthetic' }, spans }],
    };
    void instance;
  });
  return `${JSON.stringify({ resourceSpans })}\n`;
}

/** mulberry32. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return (((x ^ (x >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
}
