import { backendMethods, type Backend, type BackendMethod } from './Backend.ts';

/** One Backend call by name, as a bridge or a wrapper passes it on. */
export type BackendCall = (method: BackendMethod, ...args: unknown[]) => Promise<unknown>;

/** Compiles only while `backendMethods` names every Backend method but `subscribe`. */
type NoneMissing<T extends never> = T;
type _EveryMethodListed = NoneMissing<Exclude<keyof Backend, BackendMethod | 'subscribe'>>;

/**
 * A {@link Backend} whose every method is `call(method, ...args)`, generated from `backendMethods`
 * (the list the IPC allowlist checks), with `subscribe` as given. The desktop renderer's bridge
 * and the main process's guarded backend are built this way, so a new Backend method needs no
 * forwarding code of its own.
 */
export function forwardBackend(call: BackendCall, subscribe: Backend['subscribe']): Backend {
  const backend: Partial<Record<keyof Backend, unknown>> = { subscribe };
  for (const method of backendMethods) backend[method] = (...args: unknown[]) => call(method, ...args);
  return backend as Backend;
}
