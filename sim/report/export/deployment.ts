import type { MeshConfig } from '../../scenario/types.js';

/** Replicas, slots and autoscalers are the deployment's, not the mesh's: a note for either export. */
export function deploymentNotes(c: MeshConfig): string[] {
  const roles = [...new Set([...Object.keys(c.resources ?? {}), ...Object.keys(c.autoscale ?? {})])];
  if (roles.length === 0) return [];
  return [
    `resources, autoscale (${roles.join(', ')}): set them on the deployment, not the mesh — a Deployment's replicas and each pod's concurrency, and a HorizontalPodAutoscaler for autoscale.`,
  ];
}
