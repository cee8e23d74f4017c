import { parseDuration } from '../../scenario/index.js';
import type { PlanResult, Probe } from '../../plan/index.js';
import { plan } from '../../api/plan.js';
import { fmtMs, fmtPct, sig } from '../../report/units.js';
import { UsageError } from '../errors.js';
import { asFlagErrors, intOption, limitOptions, seedOption, stringOption } from '../options.js';
import { note, print, printJson } from '../output.js';

export interface PlanFlags {
  config?: unknown;
  sloP99?: unknown;
  sloDelivery?: unknown;
  role?: unknown;
  load?: unknown;
  seed?: unknown;
  replications?: unknown;
  json?: boolean;
  maxEvents?: unknown;
  maxAgents?: unknown;
  maxPending?: unknown;
}

/**
 * `meshtune plan <scenario>`: the largest load the mesh carries within its
 * SLOs (or, with --role, the fewest replicas of a role that keep them), by
 * simulation at each probed point.
 */
export function planCommand(scenarioArg: string, flags: PlanFlags): void {
  const configFile = stringOption(flags.config, '--config');
  let p99Ms: number | undefined;
  const sloP99 = stringOption(flags.sloP99, '--slo-p99');
  if (sloP99 !== undefined) {
    const d = parseDuration(/^\d+(\.\d+)?$/.test(sloP99) ? Number(sloP99) : sloP99);
    if (!d.ok || !(d.value > 0)) throw new UsageError(`--slo-p99: ${d.ok ? `expected a duration above 0, got '${sloP99}'` : d.error}`);
    p99Ms = d.value;
  }
  let deliveryRatio: number | undefined;
  if (flags.sloDelivery !== undefined) {
    const text = stringOption(flags.sloDelivery, '--slo-delivery') ?? '';
    const x = text.trim() === '' ? NaN : Number(text);
    if (!(x > 0 && x <= 1)) throw new UsageError(`--slo-delivery: expected a ratio in (0, 1], got '${text}'`);
    deliveryRatio = x;
  }
  const role = stringOption(flags.role, '--role');
  let load = 1;
  if (flags.load !== undefined) {
    const text = stringOption(flags.load, '--load') ?? '';
    load = text.trim() === '' ? NaN : Number(text);
    if (!(load > 0) || !Number.isFinite(load) || load > 1e6) throw new UsageError(`--load: expected a load multiplier in (0, 1e6], got '${text}'`);
    if (role === undefined) throw new UsageError('--load: only with --role (the load search finds the multiplier itself)');
  }
  const seed = flags.seed === undefined ? undefined : seedOption(flags.seed, '--seed', 0);
  const result = asFlagErrors(() =>
    plan(scenarioArg, {
      ...(configFile !== undefined ? { config: configFile } : {}),
      slo: { ...(p99Ms !== undefined ? { p99Ms } : {}), ...(deliveryRatio !== undefined ? { deliveryRatio } : {}) },
      ...(role !== undefined ? { role } : {}),
      load,
      replications: intOption(flags.replications, '--replications', 3, 1, 1000),
      ...(seed !== undefined ? { seed } : {}),
      limits: limitOptions(flags),
      onProbe: (p: Probe) =>
        note(`probe ${role ? `${role} × ${p.x}` : `load × ${sig(p.x)}`}: p99 ${fmtMs(p.p99Ms)}, delivery ${fmtPct(p.deliveryRatio)} — ${p.meets ? 'meets' : 'breaks'} the SLOs`),
    }),
  );
  const { scenario: name, slo, ...rest } = result;
  if (flags.json) printJson(result);
  else print(planText(name, rest, slo, load));
}

function planText(name: string, r: PlanResult, slo: { p99Ms: number | null; deliveryRatio: number | null }, load: number): string {
  const target = [slo.p99Ms !== null ? `p99 ≤ ${fmtMs(slo.p99Ms)}` : '', slo.deliveryRatio !== null ? `delivery ≥ ${fmtPct(slo.deliveryRatio)}` : '']
    .filter(Boolean)
    .join(' and ');
  const head =
    r.kind === 'load'
      ? r.answer === null
        ? `${name}: no load level tried meets ${target}.`
        : `${name}: meets ${target} up to ${sig(r.answer)} × today's load${r.offeredPerSec ? ` (${sig(r.offeredPerSec)} messages/s offered)` : ''}.`
      : r.answer === null
        ? `${name}: no count of ${r.role} up to 16 × today's meets ${target}${load === 1 ? '' : ` at × ${sig(load)} today's load`}.`
        : `${name}: ${r.answer} replicas of ${r.role} are the fewest that meet ${target} at ${load === 1 ? "today's load" : `× ${sig(load)} today's load`}.`;
  const rows = r.probes.map(
    (p) =>
      `| ${r.kind === 'load' ? `× ${sig(p.x)}` : p.x} | ${fmtMs(p.p99Ms)}${p.p99Ci ? ` [${fmtMs(Math.max(0, p.p99Ci[0]))}, ${fmtMs(p.p99Ci[1])}]` : ''} | ${fmtPct(p.deliveryRatio)} | ${p.bottleneck.role} ${fmtPct(p.bottleneck.utilization)} | ${p.meets ? 'yes' : 'no'} |`,
  );
  const breaking = r.answer === null ? undefined : r.probes.find((p) => !p.meets && p.x > r.answer!);
  const advice =
    r.kind === 'load' && breaking
      ? `\nWhat breaks first: ${breaking.bottleneck.role} at ${fmtPct(breaking.bottleneck.utilization)} utilisation — add ${breaking.bottleneck.role} replicas (plan --role ${breaking.bottleneck.role}) before the load passes × ${sig(r.answer ?? 0)}.`
      : '';
  return [head, '', `| ${r.kind === 'load' ? 'load' : 'replicas'} | p99 [95% CI] | delivery | busiest role | meets SLOs |`, '| --- | --- | --- | --- | --- |', ...rows].join('\n') + advice;
}
