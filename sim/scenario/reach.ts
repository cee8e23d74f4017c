/**
 * An explicit topology is taken as written, islands included (SPEC §4); a
 * workload whose messages must cross between two roles that no edge path
 * joins could never deliver one, and a run of it would only report 100% lost
 * on links. This check names the first such hand-off as a {@link FieldIssue}
 * at the workload entry instead. Agents are joined into components by
 * union–find over `topology.edges`; two roles are joined when some component
 * holds agents of both. A message of an entry crosses: from its `from` role
 * (unless external) to `to`, then from each stage to the next — from the
 * stage before a parallel group to each branch's first role, along each
 * branch, and from each branch's last role to the stage after the group;
 * with a reply, from the last stage straight back to the `from` role.
 * Messages between replicas of one role are not checked: whether two of its
 * replicas are joined depends on which the run picks.
 */
import { DisjointSets } from '../engine/disjoint-sets.js';
import { FieldIssue } from './errors.js';
import { groupedSteps } from './steps.js';
import type { Scenario, WorkloadSpec } from './types.js';

export function checkExplicitReach(sc: Pick<Scenario, 'topology' | 'roles' | 'workload'>): void {
  if (sc.topology.kind !== 'explicit') return;
  const index = new Map<string, number>();
  const roleOf: number[] = [];
  sc.roles.forEach((r, k) => {
    for (let i = 0; i < r.count; i++) {
      index.set(`${r.name}#${i}`, roleOf.length);
      roleOf.push(k);
    }
  });
  const sets = new DisjointSets(roleOf.length);
  for (const [x, y] of sc.topology.edges) sets.union(index.get(x)!, index.get(y)!);
  // The components each role has agents in.
  const components = sc.roles.map(() => new Set<number>());
  roleOf.forEach((k, a) => components[k]!.add(sets.find(a)));
  const roleIndex = new Map(sc.roles.map((r, k) => [r.name, k]));
  const joined = (x: string, y: string): boolean => {
    const cx = components[roleIndex.get(x)!]!;
    for (const c of components[roleIndex.get(y)!]!) if (cx.has(c)) return true;
    return false;
  };
  sc.workload.forEach((w, i) => {
    for (const [x, y] of crossings(w)) {
      if (x === y || joined(x, y)) continue;
      throw new FieldIssue(
        ['workload', i],
        `its messages go from ${x} to ${y}, but no ${x} agent is joined to a ${y} agent by topology.edges (an explicit topology is taken as written): add an edge path between them`,
      );
    }
  });
}

/** The role pairs a message of `w` crosses over links, in the order it does. */
function crossings(w: WorkloadSpec): Array<[string, string]> {
  // A trace that names each row's destination has no `to`: nothing to check.
  if (w.to === '') return [];
  const pairs: Array<[string, string]> = [];
  if (w.from !== 'external') pairs.push([w.from, w.to]);
  // Roles that hand on to the next step: `to` first, then a stage or the last roles of a group's branches.
  let before = [w.to];
  for (const step of groupedSteps(w.then, w.parallel)) {
    const branches = typeof step === 'string' ? [[step]] : step;
    for (const branch of branches) {
      for (const b of before) pairs.push([b, branch[0]!]);
      for (let s = 1; s < branch.length; s++) pairs.push([branch[s - 1]!, branch[s]!]);
    }
    before = branches.map((branch) => branch[branch.length - 1]!);
  }
  // A reply goes from the last stage straight back to the sender.
  if (w.reply !== null && w.from !== 'external') for (const b of before) pairs.push([b, w.from]);
  return pairs;
}
