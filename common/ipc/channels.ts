/**
 * IPC channel names between the desktop renderer (through preload) and the main process.
 * The one place they are spelled; preload and main/shell import them from here.
 */
export const IpcChannel = {
  /** renderer → main (invoke): call one {@link Backend} method: `(method, ...args)`. */
  invoke: 'beseda:invoke',
  /** main → renderer (send): one {@link StatePatch}. */
  patch: 'beseda:patch',
  /** main → renderer (send): open this conversation (a notification was clicked). */
  navigate: 'beseda:navigate',
} as const;

/** The global name under which preload exposes {@link BesedaBridge} to the page. */
export const bridgeGlobalName = 'besedaBridge';
