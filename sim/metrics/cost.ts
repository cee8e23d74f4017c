import type { CostSpec } from '../scenario/types.js';
import type { CostBreakdown } from './types.js';

const MS_PER_HOUR = 3_600_000;

/** What a run consumed, counted for measured messages (see Counters). */
export interface Usage {
  transmissions: number;
  wireBytes: number;
  cpuMs: number;
  tokensIn: number;
  tokensOut: number;
  /** Agents provisioned and for how long, ms. */
  agents: number;
  windowMs: number;
  delivered: number;
  /** Replica-ms running, when some role autoscales (then it replaces agents × windowMs). */
  agentMs?: number;
  /** Worker-slot-ms running (replicas × their slots × time). */
  slotMs?: number;
}

/**
 * The cost model of SPEC §4: per transmission (a batch is one), per GB on the
 * wire after compression, per CPU hour of service, per agent hour and per
 * worker-slot hour running over the measured window (both in `agents`: the
 * capacity bill; an autoscaled role pays for the replica time it ran), per
 * million tokens in and out (a retried LLM call pays its tokens again).
 */
export function computeCost(prices: CostSpec, u: Usage): CostBreakdown {
  const messages = prices.perMessage * u.transmissions;
  const bytes = (prices.perGB * u.wireBytes) / 1e9;
  const cpu = (prices.perCpuHour * u.cpuMs) / MS_PER_HOUR;
  const replicas = u.agentMs === undefined ? (prices.perAgentHour * u.agents * u.windowMs) / MS_PER_HOUR : (prices.perAgentHour * u.agentMs) / MS_PER_HOUR;
  const slotPrice = prices.perSlotHour ?? 0;
  const agents = slotPrice > 0 ? replicas + (slotPrice * (u.slotMs ?? 0)) / MS_PER_HOUR : replicas;
  const tokens = (prices.perMTokenIn * u.tokensIn + prices.perMTokenOut * u.tokensOut) / 1e6;
  const total = messages + bytes + cpu + agents + tokens;
  return {
    total,
    perDelivered: u.delivered > 0 ? total / u.delivered : Infinity,
    messages,
    bytes,
    cpu,
    agents,
    tokens,
  };
}
