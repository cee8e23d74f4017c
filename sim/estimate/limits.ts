/**
 * The refusal of a run beyond the limits (SPEC §6.1): one line naming the
 * estimate, the field that drives it and the flag that raises the limit.
 */
import path from 'node:path';
import { InputError } from '../scenario/errors.js';
import type { MeshConfig, Scenario } from '../scenario/types.js';
import { DEFAULT_LIMITS, type RunLimits } from '../model/control.js';
import { estimateWork, fmt, type Demand, type TraceRows, type WorkEstimate } from './estimate.js';

/**
 * Worker slots and stored links allowed per agent of the agent limit. A slot
 * holds 16 B; a link, while the topology is built, about 130 B (a random
 * topology of 200,000 agents of degree 40, 8e6 links, peaked at 1.1 GB RSS
 * here), so the defaults keep both within a couple of GB.
 */
export const SLOTS_PER_AGENT = 16;
export const LINKS_PER_AGENT = 16;

/** The scenario's file as errors name it: relative to the working folder when inside it. */
export function fileLabel(s: Scenario): string {
  if (s.file === '') return '<input>';
  const rel = path.relative(process.cwd(), s.file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : s.file;
}

function refuse(s: Scenario, d: Demand, what: string, limit: number, flag: string, advice = ''): never {
  throw new InputError(
    fileLabel(s),
    d.field,
    `${Number.isFinite(d.value) ? what.replace('#', fmt(d.value)) : what.replace('about #', 'endlessly many').replace('#', 'endlessly many')}${d.why === '' ? '' : ` (${d.why})`}, over the limit of ${fmt(limit)}; ${advice}lower it, or raise the limit with ${flag}`,
  );
}

/** The estimate of a run, or an {@link InputError} when it is beyond `limits`. */
export function checkWork(s: Scenario, config: MeshConfig, limits: Partial<RunLimits> = {}, traceRows?: TraceRows): WorkEstimate {
  const l: RunLimits = { ...DEFAULT_LIMITS, ...limits };
  const e = estimateWork(s, config, traceRows);
  if (!(e.agents.value <= l.maxAgents)) refuse(s, e.agents, 'the mesh would have # agents', l.maxAgents, '--max-agents');
  if (!(e.slots.value <= l.maxAgents * SLOTS_PER_AGENT)) {
    refuse(s, e.slots, 'the mesh would have # worker slots', l.maxAgents * SLOTS_PER_AGENT, `--max-agents (${SLOTS_PER_AGENT} slots per agent)`);
  }
  if (!(e.links.value <= l.maxAgents * LINKS_PER_AGENT)) {
    refuse(s, e.links, 'the topology would store # links', l.maxAgents * LINKS_PER_AGENT, `--max-agents (${LINKS_PER_AGENT} links per agent)`);
  }
  if (!(e.pending.value <= l.maxPending)) {
    refuse(s, e.pending, 'the run would hold about # messages in flight', l.maxPending, '--max-pending', 'bound config.buffer.capacity, ');
  }
  if (!(e.events.value <= l.maxEvents)) refuse(s, e.events, 'the run would process about # events', l.maxEvents, '--max-events');
  return e;
}
