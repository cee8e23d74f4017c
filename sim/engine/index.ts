/** The discrete-event engine: pending-event set, run loop, random numbers, distributions. */
export { EventQueue } from './event-queue.js';
export { runUntil, type EventHandler } from './run.js';
export { Stream, KeyedUniform, Purpose, mix32, seedKey, shuffle, type Uniform } from './rng.js';
export { Sampler, normalQuantile, gamma, type DistSpec } from './distributions.js';
export { growF64, growI32, growU8 } from './typed-arrays.js';
export { DisjointSets } from './disjoint-sets.js';
