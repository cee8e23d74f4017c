import type { MeshConfig } from '../../scenario/types.js';

/** Replicas, slots and autoscalers are the deployment's, not the mesh's: a note for either export. */
export function deploymentNotes(c: MeshConfig): string[] {
  const notes: string[] = [];
  const roles = [...new Set([...Object.keys(c.resources ?? {}), ...Object.keys(c.autoscale ?? {})])];
  if (roles.length > 0) {
    notes.push(
      `resources, autoscale (${roles.join(', ')}): set them on the deployment, not the mesh — a Deployment's replicas and each pod's concurrency, and a HorizontalPodAutoscaler for autoscale.`,
    );
  }
  const weights = Object.entries(c.priority?.weights ?? {});
  if (weights.length > 0) {
    // Neither proxy schedules an agent's own work queue across request classes.
    notes.push(`priority.weights (${weights.map(([k, w]) => `${k} ${w}`).join(', ')}): not expressible in the mesh; the agents' own work queues must share their workers by class.`);
  }
  const graph = Object.entries(c.topology ?? {});
  if (graph.length > 0) {
    // A proxy routes over the network it is given; who talks to whom is the application's design.
    notes.push(`topology (${graph.map(([k, v]) => `${k} ${String(v)}`).join(', ')}): not expressible in the mesh; it is how the agents are wired to each other.`);
  }
  return notes;
}
