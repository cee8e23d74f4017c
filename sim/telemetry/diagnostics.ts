/**
 * What a reader could not use, counted by kind with the first places it
 * happened (file:line). Only an input with no usable span at all is bad input
 * (exit 2); everything else is reported beside the result.
 */
export type IssueKind = 'malformed' | 'orphan' | 'skew' | 'duplicate';

/** What each kind is, for one and for several. */
export const ISSUE_TEXT: Record<IssueKind, [string, string]> = {
  malformed: ['malformed record skipped', 'malformed records skipped'],
  orphan: [
    'span whose parent never appears (treated as a root: a request of its own, counted in the arrivals)',
    'spans whose parent never appears (treated as roots: each a request of its own, counted in the arrivals)',
  ],
  skew: ['span starting before its parent (clock skew; shifted to the parent start)', 'spans starting before their parent (clock skew; shifted to the parent start)'],
  duplicate: ['duplicate span id (the later copy skipped)', 'duplicate span ids (later copies skipped)'],
};

/** How many places of each kind are kept for the report. */
const EXAMPLES = 3;

export class Diagnostics {
  readonly counts: Record<IssueKind, number> = { malformed: 0, orphan: 0, skew: 0, duplicate: 0 };
  readonly examples: Record<IssueKind, string[]> = { malformed: [], orphan: [], skew: [], duplicate: [] };

  add(kind: IssueKind, where: string, detail = ''): void {
    this.counts[kind]++;
    const list = this.examples[kind];
    if (list.length < EXAMPLES) list.push(detail === '' ? where : `${where} (${detail})`);
  }

  /** One line per kind that happened. */
  lines(): string[] {
    const out: string[] = [];
    for (const kind of Object.keys(this.counts) as IssueKind[]) {
      const n = this.counts[kind];
      if (n > 0) out.push(`${n} ${ISSUE_TEXT[kind][n === 1 ? 0 : 1]}: ${this.examples[kind].join('; ')}${n > EXAMPLES ? '; …' : ''}`);
    }
    return out;
  }
}
