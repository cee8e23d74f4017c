/**
 * The shape of one line of evaluations.jsonl, checked when a study is
 * resumed or re-rendered: a record of the right JSON but the wrong shape
 * (edited by hand, written by another version) is reported with its line
 * instead of failing later, deep in the study.
 */
import type { EvaluationRecord } from './types.js';

type Check = (v: unknown) => boolean;

const isNum: Check = (v) => typeof v === 'number';
const isStr: Check = (v) => typeof v === 'string';
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const nullOr = (c: Check): Check => (v) => v === null || c(v);
const listOf = (c: Check): Check => (v) => Array.isArray(v) && v.every(c);

const OUTCOME_NUMBERS = [
  'p99', 'p50', 'meanLatency', 'throughput', 'deliveryRatio', 'costPerDelivered', 'costTotal', 'costTokens',
  'generated', 'delivered', 'retries', 'hedges', 'breakerOpens',
] as const;

/** The first problem of an outcome, as `field: expected …`, or null. */
function outcomeProblem(v: unknown, at: string): string | null {
  if (!isObj(v)) return `${at}: expected an outcome object`;
  for (const k of OUTCOME_NUMBERS) if (!isNum(v[k])) return `${at}.${k}: expected a number`;
  if (!isObj(v.utilization) || !Object.values(v.utilization).every(isNum)) return `${at}.utilization: expected numbers by role`;
  return null;
}

const FIELDS: ReadonlyArray<[keyof EvaluationRecord, Check, string]> = [
  ['key', isStr, 'a string'],
  ['phase', isStr, 'a phase name'],
  ['seq', isNum, 'a number'],
  ['candidate', isNum, 'a number'],
  ['level', isNum, 'a number'],
  ['fraction', isNum, 'a number'],
  ['seeds', listOf(isNum), 'a list of seeds'],
  ['point', nullOr(listOf(isNum)), 'null or a list of numbers'],
  ['config', isObj, 'a configuration object'],
  ['status', (v) => v === 'ok' || v === 'failed', "'ok' or 'failed'"],
  ['error', nullOr(isStr), 'null or a message'],
  ['perSeed', Array.isArray, 'a list'],
  ['cost', isNum, 'a number'],
  ['wallMs', isNum, 'a number'],
];

/** Why `v` is not an evaluation record (`field: expected …`), or null when it is one. */
export function recordProblem(v: unknown): string | null {
  if (!isObj(v)) return 'expected an evaluation record (a JSON object)';
  for (const [field, ok, what] of FIELDS) if (!ok(v[field])) return `${field}: expected ${what}`;
  if (v.status === 'ok' || v.outcome !== null) {
    const p = outcomeProblem(v.outcome, 'outcome');
    if (p !== null) return p;
  }
  const perSeed = v.perSeed as unknown[];
  for (let i = 0; i < perSeed.length; i++) {
    if (perSeed[i] === null) continue;
    const p = outcomeProblem(perSeed[i], `perSeed[${i}]`);
    if (p !== null) return p;
  }
  return null;
}
