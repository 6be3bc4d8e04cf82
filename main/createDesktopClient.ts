import type { Deployment } from '../common/client/Backend.ts';
import { ChatClient } from '../common/client/ChatClient.ts';
import type { KeyValueStorage } from '../common/client/KeyValueStorage.ts';
import { createWsSocket } from './createWsSocket.ts';
import { FolderFileStash } from './files/FolderFileStash.ts';
import { NodeFileUploader } from './files/NodeFileUploader.ts';

/** What the desktop app's HTTP requests call themselves: the app and the system, for "my sessions". */
const desktopUserAgent = `Beseda/desktop (${
  process.platform === 'win32' ? 'Windows NT' : process.platform === 'darwin' ? 'Macintosh' : 'Linux'
})`;

/**
 * The client core as the desktop app runs it, in the main process: `ws` for the WebSocket (so a
 * closed or destroyed window keeps the user connected), Node's fetch, the encrypted store, and
 * for attached files a folder of the app's own data and node:http(s) uploads.
 */
export function createDesktopClient(options: {
  storage: KeyValueStorage;
  /** Where unsent attachments wait (`<userData>/outbox-files`). */
  fileStashDir: string;
  deployment(): Deployment;
  openExternal(url: string): Promise<void>;
}): ChatClient {
  return new ChatClient({
    createSocket: createWsSocket,
    // Named in the hub's session list ("Беседа (desktop) on Windows", issue 16) by this User-Agent.
    fetch: (input, init) => fetch(input, { ...init, headers: { 'user-agent': desktopUserAgent, ...init.headers } }),
    storage: options.storage,
    fileStash: new FolderFileStash(options.fileStashDir),
    uploader: new NodeFileUploader(),
    host: {
      openExternal: options.openExternal,
      deployment: async () => options.deployment(),
    },
  });
}
