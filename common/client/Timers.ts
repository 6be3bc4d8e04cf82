/**
 * The timer functions the client core uses, injectable so tests (and hosts with their own event
 * loops) can drive time. Defaults to the runtime's globals.
 */
export interface Timers {
  setTimeout(handler: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The runtime's own timers. */
export const globalTimers: Timers = {
  setTimeout: (handler, ms) => setTimeout(handler, ms),
  clearTimeout: (handle) => clearTimeout(handle as Parameters<typeof clearTimeout>[0]),
};
