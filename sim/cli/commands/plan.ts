import { loadConfigFor, loadScenario, mergeConfig, parseDuration } from '../../scenario/index.js';
import { planLoad, planRole, scaleLoad, type PlanResult, type Probe } from '../../plan/index.js';
import { fmtMs, fmtPct, sig } from '../../report/units.js';
import { UsageError } from '../errors.js';
import { intOption, stringOption } from '../options.js';
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
}

/**
 * `meshtune plan <scenario>`: the largest load the mesh carries within its
 * SLOs (or, with --role, the fewest replicas of a role that keep them), by
 * simulation at each probed point.
 */
export function planCommand(scenarioArg: string, flags: PlanFlags): void {
  const scenario = loadScenario(scenarioArg);
  const configFile = stringOption(flags.config, '--config');
  const config = configFile ? mergeConfig(scenario.config, loadConfigFor(scenario, configFile)) : scenario.config;
  let p99Ms = scenario.slo.p99;
  const sloP99 = stringOption(flags.sloP99, '--slo-p99');
  if (sloP99 !== undefined) {
    const d = parseDuration(/^\d+(\.\d+)?$/.test(sloP99) ? Number(sloP99) : sloP99);
    if (!d.ok) throw new UsageError(`--slo-p99: ${d.error}`);
    p99Ms = d.value;
  }
  let deliveryRatio = scenario.slo.deliveryRatio;
  if (flags.sloDelivery !== undefined) {
    const x = Number(flags.sloDelivery);
    if (!(x > 0 && x <= 1)) throw new UsageError(`--slo-delivery: expected a ratio in (0, 1], got '${String(flags.sloDelivery)}'`);
    deliveryRatio = x;
  }
  if (p99Ms === null && deliveryRatio === null) {
    throw new UsageError(`${scenarioArg}: no SLO to plan for; give --slo-p99 (and/or --slo-delivery) or an slo block in the scenario`);
  }
  const role = stringOption(flags.role, '--role');
  if (role !== undefined && !scenario.roles.some((r) => r.name === role)) {
    throw new UsageError(`--role: unknown role '${role}'; roles are: ${scenario.roles.map((r) => r.name).join(', ')}`);
  }
  let load = 1;
  if (flags.load !== undefined) {
    load = Number(flags.load);
    if (!(load > 0) || !Number.isFinite(load)) throw new UsageError(`--load: expected a load multiplier > 0, got '${String(flags.load)}'`);
    if (role === undefined) throw new UsageError('--load: only with --role (the load search finds the multiplier itself)');
  }
  const opts = {
    config,
    seed: intOption(flags.seed, '--seed', scenario.seed, 0),
    replications: intOption(flags.replications, '--replications', 3, 1),
    slo: { p99Ms, deliveryRatio },
    onProbe: (p: Probe) =>
      note(`probe ${role ? `${role} × ${p.x}` : `load × ${sig(p.x)}`}: p99 ${fmtMs(p.p99Ms)}, delivery ${fmtPct(p.deliveryRatio)} — ${p.meets ? 'meets' : 'breaks'} the SLOs`),
  };
  const result = role !== undefined ? planRole(scaleLoad(scenario, load), role, opts) : planLoad(scenario, opts);
  if (flags.json) printJson({ scenario: scenario.name, slo: opts.slo, ...result });
  else print(planText(scenario.name, result, opts.slo, load));
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
