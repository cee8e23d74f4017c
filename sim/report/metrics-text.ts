import { shownInterval } from '../metrics/replications.js';
import type { Metrics } from '../metrics/types.js';
import { fmtCount, fmtMoney, fmtMs, fmtPct, fmtRate, sig } from './units.js';

/** The metrics of a run as a short text block for the terminal. */
export function metricsText(m: Metrics): string {
  const ci = m.ci95 ?? {};
  const withCi = (path: string, value: string, fmt: (x: number) => string): string => {
    const iv = ci[path];
    if (iv === undefined) return value;
    const [lo, hi] = shownInterval(path, iv);
    return `${value} [${fmt(lo)}, ${fmt(hi)}]`;
  };
  const lost = Object.entries(m.messages.lost)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${k} ${fmtCount(v)}`)
    .join(', ');
  const util = Object.entries(m.utilization)
    .map(([role, u]) => `${role} ${fmtPct(u)}`)
    .join(', ');
  const lat = m.latencyMs;
  const lines = [
    `scenario     ${m.scenario}   seed ${m.seed}${m.replications > 1 ? `   replications ${m.replications} (95% CI in brackets)` : ''}`,
    `messages     generated ${fmtCount(m.messages.generated)}, delivered ${fmtCount(m.messages.delivered)}, sent ${fmtCount(m.messages.sent)}, transmissions ${fmtCount(m.messages.transmissions)}, duplicates ${fmtCount(m.messages.duplicates)}`,
    `lost         ${lost || 'none'}`,
    `delivery     ${withCi('deliveryRatio', fmtPct(m.deliveryRatio), fmtPct)}`,
    `latency      mean ${withCi('latencyMs.mean', fmtMs(lat.mean), fmtMs)}, p50 ${fmtMs(lat.p50)}, p90 ${fmtMs(lat.p90)}`,
    `             p99 ${withCi('latencyMs.p99', fmtMs(lat.p99), fmtMs)}, p99.9 ${fmtMs(lat.p999)}, max ${fmtMs(lat.max)}`,
    ...Object.entries(m.classes ?? {}).map(
      ([name, c]) =>
        `class        ${name}: delivered ${fmtCount(c.delivered)} of ${fmtCount(c.generated)} (${withCi(`classes.${name}.deliveryRatio`, fmtPct(c.deliveryRatio), fmtPct)}), p50 ${fmtMs(c.latencyMs.p50)}, p99 ${withCi(`classes.${name}.latencyMs.p99`, fmtMs(c.latencyMs.p99), fmtMs)}`,
    ),
    `throughput   ${withCi('throughputPerSec', `${sig(m.throughputPerSec)}/s`, (x) => `${sig(x)}/s`)}`,
    `cost         total ${fmtMoney(m.cost.total)}, per delivered ${withCi('cost.perDelivered', fmtMoney(m.cost.perDelivered), fmtMoney)} (messages ${fmtMoney(m.cost.messages)}, bytes ${fmtMoney(m.cost.bytes)}, cpu ${fmtMoney(m.cost.cpu)}, agents ${fmtMoney(m.cost.agents)}, tokens ${fmtMoney(m.cost.tokens)})`,
    `resilience   retries ${fmtCount(m.retries)}, hedges ${fmtCount(m.hedges)}, breaker opens ${fmtCount(m.breakerOpens)}`,
    `utilization  ${util}`,
    ...Object.entries(m.scaling ?? {}).map(
      ([role, x]) =>
        `scaling      ${role}: ${sig(x.replicaHours)} replica-hours, mean ${sig(x.meanReplicas)} replicas (${sig(x.minReplicas)}–${sig(x.maxReplicas)}), ${sig(x.scaleUps)} scale-ups, ${sig(x.scaleDowns)} scale-downs`,
    ),
    `engine       ${fmtCount(m.engine.events)} events in ${fmtMs(m.engine.wallMs)} (${fmtRate(m.engine.eventsPerSec)}), peak RSS ${sig(m.engine.peakRssMB)} MB`,
  ];
  return lines.join('\n');
}
