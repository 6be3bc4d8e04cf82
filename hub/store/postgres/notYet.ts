/**
 * A store area not yet written for PostgreSQL: every method rejects, naming itself, so a missing
 * piece fails loudly instead of answering wrongly. Removed as the areas are written.
 */
export function notYet<T extends object>(area: string): T {
  return new Proxy({} as T, {
    get(_target, method) {
      if (typeof method !== 'string' || method === 'then') return undefined;
      return () => Promise.reject(new Error(`${area}.${method} is not implemented in the PostgreSQL store yet`));
    },
  });
}
