import { collectDefaultMetrics, Registry } from 'prom-client';

let shared: Registry | null = null;

/**
 * The Node process's own metrics (CPU, memory, open file descriptors, heap, GC, prom-client's
 * event-loop lag), in a registry of their own made once per process: they describe the process,
 * and several hubs in one process (tests) must not each add GC observers and timers. Never
 * prom-client's global registry, which any other library in the process could fill.
 */
export function processMetrics(): Registry {
  if (!shared) {
    shared = new Registry();
    collectDefaultMetrics({ register: shared });
  }
  return shared;
}
