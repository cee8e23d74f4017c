/**
 * Checks the names a trace row sends from and to: `external` (senders only),
 * a role of the scenario, or one agent of a role, `role#i` with 0 <= i < the
 * role's count (SPEC §4 numbers agents from 0 in each role). Names that passed
 * once are remembered, so a long trace pays for each distinct name once.
 */
import { unknownName } from '../../scenario/errors.js';

export class NameCheck {
  private readonly counts = new Map<string, number>();
  private readonly seen = new Set<string>();

  constructor(
    private readonly roleNames: readonly string[],
    roleCounts: readonly number[],
  ) {
    if (roleNames.length !== roleCounts.length) {
      throw new Error(`roleNames (${roleNames.length}) and roleCounts (${roleCounts.length}) differ in length`);
    }
    roleNames.forEach((name, i) => this.counts.set(name, roleCounts[i] ?? 0));
  }

  /** null when `name` is a role or an agent; otherwise what is wrong with it. */
  problem(name: string): string | null {
    if (this.seen.has(name)) return null;
    const hash = name.lastIndexOf('#');
    if (hash === -1) {
      if (!this.counts.has(name)) return unknownName('role', name, 'roles', this.roleNames);
    } else {
      const role = name.slice(0, hash);
      const count = this.counts.get(role);
      if (count === undefined) return unknownName('role', role, 'roles', this.roleNames) + ` (in agent name '${name}')`;
      const digits = name.slice(hash + 1);
      const i = /^(?:0|[1-9]\d*)$/.test(digits) ? Number(digits) : NaN;
      if (!(i < count)) {
        return `unknown agent '${name}'; expected ${role}#i with i a whole number from 0 to ${count - 1} (role ${role} has ${count} agent${count === 1 ? '' : 's'})`;
      }
    }
    this.seen.add(name);
    return null;
  }
}
