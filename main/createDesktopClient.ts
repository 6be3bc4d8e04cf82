import type { Deployment } from '../common/client/Backend.ts';
import { ChatClient } from '../common/client/ChatClient.ts';
import type { KeyValueStorage } from '../common/client/KeyValueStorage.ts';
import { createWsSocket } from './createWsSocket.ts';

/**
 * The client core as the desktop app runs it, in the main process: `ws` for the WebSocket (so a
 * closed or destroyed window keeps the user connected), Node's fetch, and the encrypted store.
 */
export function createDesktopClient(options: {
  storage: KeyValueStorage;
  deployment(): Deployment;
  openExternal(url: string): Promise<void>;
}): ChatClient {
  return new ChatClient({
    createSocket: createWsSocket,
    fetch: (input, init) => fetch(input, init),
    storage: options.storage,
    host: {
      openExternal: options.openExternal,
      deployment: async () => options.deployment(),
    },
  });
}
