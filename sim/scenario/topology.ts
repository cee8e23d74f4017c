/**
 * Checks of the fields that change the graph — `topology.search` and
 * `config.topology` (SPEC §4, §5) — against the topology's kind: a tree has a
 * fanout and a shape, small-world and random overlays a degree, a scale-free
 * graph its edges per new node (m). Each problem is a {@link FieldIssue} at
 * the field's path.
 */
import { FieldIssue, type PathSegment } from './errors.js';
import type { MeshConfig, Scenario, TopologyKind } from './types.js';

type Path = readonly PathSegment[];

/** The kinds each searchable key belongs to. */
const KINDS_OF: Readonly<Record<'fanout' | 'degree' | 'm' | 'shape', readonly TopologyKind[]>> = {
  fanout: ['hierarchical'],
  shape: ['hierarchical'],
  degree: ['small-world', 'random'],
  m: ['scale-free'],
};

function checkKey(kind: TopologyKind, key: keyof typeof KINDS_OF, at: Path, least: number): void {
  const kinds = KINDS_OF[key];
  if (!kinds.includes(kind)) throw new FieldIssue(at, `${key} belongs to a ${kinds.join(' or ')} topology; this one is ${kind}`);
  // A small-world ring lattice needs a neighbour on each side.
  if (key === 'degree' && kind === 'small-world' && least < 2) throw new FieldIssue(at, `expected a small-world degree of at least 2, got ${least}`);
}

/** `topology.search` and the scenario's own `config.topology`. */
export function checkScenarioTopology(sc: Pick<Scenario, 'topology' | 'config'>): void {
  const t = sc.topology;
  for (const [key, value] of Object.entries(t.search ?? {})) {
    if (value === undefined) continue;
    const at: Path = ['topology', 'search', key];
    checkKey(t.kind, key as keyof typeof KINDS_OF, at, Array.isArray(value) && typeof value[0] === 'number' ? value[0] : Infinity);
    if (key === 'shape' && new Set(value as string[]).size !== (value as string[]).length) {
      throw new FieldIssue(at, 'expected both shapes once: [tree, flat]');
    }
  }
  checkConfigTopology(sc, sc.config, ['config']);
}

/** `topology` of a configuration (the scenario's, or a `--config` file's at `at` = []). */
export function checkConfigTopology(sc: Pick<Scenario, 'topology'>, config: MeshConfig, at: Path): void {
  for (const [key, value] of Object.entries(config.topology ?? {})) {
    if (value === undefined) continue;
    checkKey(sc.topology.kind, key as keyof typeof KINDS_OF, [...at, 'topology', key], typeof value === 'number' ? value : Infinity);
  }
}
