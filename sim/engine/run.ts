import type { EventQueue } from './event-queue.js';

/** What the run loop calls for each event; the model dispatches on `kind`. */
export interface EventHandler {
  handle(kind: number, a: number, b: number, timeMs: number): void;
}

/**
 * Pops and dispatches events in (time, sequence) order until the queue is
 * empty, the next event lies beyond `untilMs`, or `maxEvents` have run.
 * Returns the number of events dispatched. Events beyond `untilMs` stay queued.
 */
export function runUntil(queue: EventQueue, handler: EventHandler, untilMs: number, maxEvents = Infinity): number {
  let n = 0;
  while (n < maxEvents && queue.popUntil(untilMs)) {
    handler.handle(queue.kind, queue.a, queue.b, queue.time);
    n++;
  }
  return n;
}
