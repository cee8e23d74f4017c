/**
 * Checks of the fields that change how many replicas and slots a role has —
 * `roles.<role>.scale`, `config.resources`, `config.autoscale` (SPEC §4, §5)
 * — against the rest of the scenario: the role exists, and nothing in the
 * scenario depends on the replica count the new value would change. Each
 * problem is a {@link FieldIssue} at the field's path, under `at`.
 */
import { FieldIssue, unknownName, type PathSegment } from './errors.js';
import type { MeshConfig, RoleSpec, Scenario } from './types.js';

type Path = readonly PathSegment[];

/** What the checks need of a scenario. */
type Shape = Pick<Scenario, 'roles' | 'topology' | 'workload' | 'faults'>;

/** Every role's `scale` bounds, then the configuration's resources and autoscalers (under `config`). */
export function checkScenarioResources(sc: Shape & Pick<Scenario, 'config'>): void {
  for (const role of sc.roles) {
    const at: Path = ['roles', role.name, 'scale'];
    if (role.scale === undefined) continue;
    if (role.name.includes('.')) {
      throw new FieldIssue(at, `a role with scale bounds needs a name without dots (a study sets resources.${role.name}.count by its dotted path)`);
    }
    const count = role.scale.count;
    if (count !== null) checkReplicas(sc, role, count[0], [...at, 'count']);
    checkResizable(sc, role, at);
  }
  checkConfigResources(sc, sc.config, ['config']);
}

/** `resources` and `autoscale` of a configuration (the scenario's, or a `--config` file's at `at` = []). */
export function checkConfigResources(sc: Shape, config: MeshConfig, at: Path): void {
  for (const [name, res] of Object.entries(config.resources ?? {})) {
    const here: Path = [...at, 'resources', name];
    const role = roleNamed(sc, name, here);
    if (res.count !== undefined && res.count !== role.count) {
      checkReplicas(sc, role, res.count, [...here, 'count']);
      checkResizable(sc, role, [...here, 'count']);
    }
  }
  for (const [name, scaler] of Object.entries(config.autoscale ?? {})) {
    const here: Path = [...at, 'autoscale', name];
    const role = roleNamed(sc, name, here);
    checkResizable(sc, role, here);
    // Faults pick their victims among the replicas laid out, `max` of them.
    checkReplicas(sc, role, scaler.max, [...here, 'max']);
    sc.workload.forEach((w, i) => {
      if (w.from === name) {
        throw new FieldIssue(here, `${name} sends workload traffic (workload[${i}].from), so its replicas cannot come and go; scale the roles it sends to`);
      }
      if (w.fanout !== null && w.to === name) {
        throw new FieldIssue(here, `workload[${i}] scatters to ${w.fanout.count} distinct replicas of ${name}, which needs a fixed replica count`);
      }
    });
  }
}

function roleNamed(sc: Shape, name: string, at: Path): RoleSpec {
  const role = sc.roles.find((r) => r.name === name);
  if (role === undefined) throw new FieldIssue(at, unknownName('role', name, 'roles', sc.roles.map((r) => r.name)));
  return role;
}

/** A role whose replica count may change: not named agent by agent, and reached by name. */
function checkResizable(sc: Shape, role: RoleSpec, at: Path): void {
  if (sc.topology.kind === 'explicit') {
    throw new FieldIssue(at, `an explicit topology names every agent, so ${role.name} keeps its ${role.count} replicas; use a generated topology to change them`);
  }
  const named = sc.workload.some((w) => w.to === role.name || w.then.includes(role.name) || w.from === role.name);
  const traced = sc.workload.some((w) => w.pattern === 'trace' && w.to === '');
  if (!named && traced) {
    throw new FieldIssue(
      at,
      `${role.name} is reached only as a destination in trace rows, which may name its replicas one by one (${role.name}#3); give the trace entry to: ${role.name} or leave its replicas as they are`,
    );
  }
}

/** Nothing in the scenario needs more than `count` replicas of the role. */
function checkReplicas(sc: Shape, role: RoleSpec, count: number, at: Path): void {
  sc.workload.forEach((w, i) => {
    if (w.fanout !== null && w.to === role.name && w.fanout.count > count) {
      throw new FieldIssue(at, `expected at least ${w.fanout.count} (workload[${i}] scatters to ${w.fanout.count} replicas of ${role.name}), got ${count}`);
    }
  });
  sc.faults.forEach((f, i) => {
    if ((f.kind !== 'crash' && f.kind !== 'slow') || f.target !== role.name) return;
    if (f.count !== null && f.count > count) {
      throw new FieldIssue(at, `expected at least ${f.count} (faults[${i}] hits ${f.count} replicas of ${role.name}), got ${count}`);
    }
    if (f.zone !== null && f.zones > count) {
      throw new FieldIssue(at, `expected at least ${f.zones} (faults[${i}] splits ${role.name} into ${f.zones} zones), got ${count}`);
    }
  });
}
