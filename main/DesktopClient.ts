import type { Backend } from '../common/client/Backend.ts';
import type { ClientState } from '../common/client/ClientState.ts';
import type { IncomingSource } from '../common/client/StateIntake.ts';
import type { Message } from '../common/protocol/model.ts';

/**
 * What the desktop app needs of the client core (`ChatClient` fits it): the {@link Backend} plus
 * lifecycle, reconnect on wake, and the stream of other people's new messages.
 */
export interface DesktopClient extends Backend {
  start(): Promise<void>;
  notifyNetworkChange(): void;
  onIncoming(listener: (messages: Message[], source: IncomingSource) => void): () => void;
  dispose(): void;
  /** The state now, synchronously (fresher than the patches, which are batched). */
  getStateNow?(): ClientState;
  /** Report this connection idle or active without touching the chosen status (presence idle). */
  setIdle?(idle: boolean): Promise<void>;
}
