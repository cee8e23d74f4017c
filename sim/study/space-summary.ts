/** A search space described for study.json and the report. */
import type { SearchSpace } from './space.js';

export interface DimSummary {
  name: string;
  kind: 'int' | 'float' | 'choice' | 'gate';
  /** `4..4096 (log)`, `random | p2c | …`; a headroom `autoscale.worker.min + 0..31, within 1..32`. */
  range: string;
  /** `buffer = on`, `retry.maxAttempts > 1`; '' when unconditional. */
  when: string;
}

export function describeSpace(space: SearchSpace): DimSummary[] {
  return space.dims.map((d) => ({
    name: d.name,
    kind: d.kind,
    range:
      d.kind === 'gate' || d.kind === 'choice'
        ? d.values.map(String).join(' | ')
        : d.headroom !== undefined
          ? `${d.headroom.over} + ${d.min}..${d.max}, within ${d.headroom.floor}..${d.headroom.cap}`
          : `${d.min}..${d.max}${d.log ? ' (log)' : ''}`,
    when:
      d.when === null
        ? ''
        : d.when.above !== undefined
          ? `${d.when.dim} > ${d.when.above}`
          : `${d.when.dim} = ${(d.when.values ?? []).map(String).join(' | ')}`,
  }));
}
