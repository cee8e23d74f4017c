/** Configurations rendered for real meshes (`meshtune export`). */
export { toEnvoy } from './envoy.js';
export { toIstio } from './istio.js';
export type { ExportResult, ExportTarget } from './types.js';
