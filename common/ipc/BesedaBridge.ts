import type { StatePatch } from '../client/ClientState.ts';
import type { BackendMethod } from '../client/Backend.ts';

/**
 * What the desktop preload exposes to the page as `window.besedaBridge`: nothing but a way to
 * call the Backend methods in the main process and to hear state patches and navigation requests.
 */
export interface BesedaBridge {
  invoke(method: BackendMethod, ...args: unknown[]): Promise<unknown>;
  onPatch(listener: (patch: StatePatch) => void): () => void;
  onNavigate(listener: (conversationId: number) => void): () => void;
}
