/** Topologies (SPEC §4) compiled to CSR, and shortest-path queries for routing (SPEC §5). */
export { buildTopology, TOPOLOGY_PURPOSE } from './generators.js';
export { edgeId, degree, maxDegree, edgeCount, type Topology } from './graph.js';
export { PathFinder, DEFAULT_CACHE_BYTES } from './paths.js';
