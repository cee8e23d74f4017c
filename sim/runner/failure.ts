/**
 * Whatever stops a run on a given input is reported as bad input naming a
 * field (SPEC §3: exit 2), never as an internal error: a run that outgrew its
 * limits names the field that drives the estimate it passed; anything else
 * the model throws names the field behind the run's largest demand, the
 * likeliest cause on an input that got past the loader's ranges.
 */
import { checkWork, estimateWork, fileLabel, traceRowsFromSize } from '../estimate/index.js';
import { fmt } from '../estimate/estimate.js';
import { DEFAULT_LIMITS, RunLimitExceeded, type RunLimits } from '../model/index.js';
import { InputError } from '../scenario/errors.js';
import type { MeshConfig, Scenario } from '../scenario/types.js';
import { oneLine } from '../scenario/units.js';

export function runFailure(err: unknown, s: Scenario, config: MeshConfig, limits: Partial<RunLimits> = {}): Error {
  if (err instanceof InputError) return err;
  const l = { ...DEFAULT_LIMITS, ...limits };
  const e = estimateWork(s, config, traceRowsFromSize);
  if (err instanceof RunLimitExceeded) {
    const d = err.what === 'events' ? e.events : e.pending;
    const what = err.what === 'events' ? 'events' : 'messages in flight';
    const flag = err.what === 'events' ? '--max-events' : '--max-pending';
    return new InputError(
      fileLabel(s),
      d.field,
      `the run passed ${fmt(err.limit)} ${what} at ${fmt(err.simMs / 1000)} s of ${fmt((s.duration + s.drain) / 1000)} s simulated (estimated ${fmt(d.value)}${d.why === '' ? '' : `: ${d.why}`}); lower it, or raise the limit with ${flag}`,
      null,
    );
  }
  const demands = [
    { d: e.events, share: e.events.value / l.maxEvents },
    { d: e.pending, share: e.pending.value / l.maxPending },
    { d: e.agents, share: e.agents.value / l.maxAgents },
  ].sort((a, b) => b.share - a.share);
  const top = demands[0]!.d;
  const message = err instanceof Error ? err.message : String(err);
  const out = new InputError(
    fileLabel(s),
    top.field,
    `the model cannot run this input (${oneLine(message, 160)}); its largest demand comes from this field${top.why === '' ? '' : ` (${top.why})`}`,
  );
  (out as { cause?: unknown }).cause = err;
  return out;
}

/** {@link checkWork} with the trace sizes read from disk. */
export function checkRun(s: Scenario, config: MeshConfig, limits: Partial<RunLimits> = {}) {
  return checkWork(s, config, limits, traceRowsFromSize);
}
