/**
 * Persistent string storage the client keeps its session and outbox in (browser: localStorage,
 * desktop: a file). Writes must be durable when the promise resolves: the outbox relies on it.
 */
export interface KeyValueStorage {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}
