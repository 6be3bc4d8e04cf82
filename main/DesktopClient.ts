import type { Backend } from '../common/client/Backend.ts';
import type { ClientState } from '../common/client/ClientState.ts';
import type { IncomingSource } from '../common/client/StateIntake.ts';
import type { Message } from '../common/protocol/model.ts';
import type { HubAccess } from './files/hubFileRequest.ts';

/**
 * What the desktop app needs of the client core (`ChatClient` fits it): the {@link Backend} (but
 * `saveFile` and `clipboardImage`, which the main process does itself) plus lifecycle, reconnect on wake, the stream of
 * other people's new messages, and the hub and token for the main process's own file requests.
 */
export interface DesktopClient extends Omit<Backend, 'saveFile' | 'clipboardImage'> {
  start(): Promise<void>;
  notifyNetworkChange(): void;
  onIncoming(listener: (messages: Message[], source: IncomingSource) => void): () => void;
  dispose(): void;
  /** The state now, synchronously (fresher than the patches, which are batched). */
  getStateNow?(): ClientState;
  /** Report this connection idle or active without touching the chosen status (presence idle). */
  setIdle?(idle: boolean): Promise<void>;
  /** The signed-in hub's address and token (files through the main process); null when signed out. */
  hubAccess?(): HubAccess | null;
}
