/**
 * Wraps an operations part (invitations, self-service, the directory, …) that the hub hands out
 * as a property, so its failures reach callers the way the hub's own methods' do: every error,
 * thrown or rejected, goes through `fail` (which turns a full disk into `storage_full`, records
 * that the storage is full, and any other non-HubError into a logged `internal`). Without it a
 * sign-in through such a part answered a full disk with 500 and /healthz never said "degraded".
 * Synchronous methods stay synchronous; properties that are not functions pass through.
 */
export function guardPart<T extends object>(part: T, name: string, fail: (op: string, err: unknown) => Error): T {
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(part, {
    get(target, prop) {
      // The part itself as `this` (not the proxy): its private fields and getters work as usual.
      const value: unknown = Reflect.get(target, prop);
      if (typeof value !== 'function') return value;
      if (!wrapped.has(prop)) {
        const op = `${name}.${String(prop)}`;
        wrapped.set(prop, (...args: unknown[]) => {
          let result: unknown;
          try {
            result = (value as (...a: unknown[]) => unknown).apply(target, args);
          } catch (err) {
            throw fail(op, err);
          }
          return result instanceof Promise ? result.catch((err: unknown) => Promise.reject(fail(op, err))) : result;
        });
      }
      return wrapped.get(prop);
    },
  });
}
