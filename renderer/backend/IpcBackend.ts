import type { Backend, BackendMethod } from '../../common/client/Backend.ts';
import type { StatePatch } from '../../common/client/ClientState.ts';
import type { BesedaBridge } from '../../common/ipc/BesedaBridge.ts';

/**
 * The desktop {@link Backend}: the client core runs in Electron's main process, and every call
 * crosses the preload bridge as `invoke(method, ...args)`; state patches come back via `onPatch`.
 */
export class IpcBackend implements Backend {
  constructor(private readonly bridge: BesedaBridge) {}

  private call<M extends BackendMethod>(method: M, ...args: Parameters<Backend[M]>): ReturnType<Backend[M]> {
    return this.bridge.invoke(method, ...args) as ReturnType<Backend[M]>;
  }

  subscribe(listener: (patch: StatePatch) => void): () => void {
    return this.bridge.onPatch(listener);
  }

  getState: Backend['getState'] = () => this.call('getState');
  deployment: Backend['deployment'] = () => this.call('deployment');
  signIn: Backend['signIn'] = (...a) => this.call('signIn', ...a);
  signOut: Backend['signOut'] = () => this.call('signOut');
  send: Backend['send'] = (...a) => this.call('send', ...a);
  retry: Backend['retry'] = (...a) => this.call('retry', ...a);
  discard: Backend['discard'] = (...a) => this.call('discard', ...a);
  loadOlder: Backend['loadOlder'] = (...a) => this.call('loadOlder', ...a);
  setActiveConversation: Backend['setActiveConversation'] = (...a) => this.call('setActiveConversation', ...a);
  setVisible: Backend['setVisible'] = (...a) => this.call('setVisible', ...a);
  typing: Backend['typing'] = (...a) => this.call('typing', ...a);
  setStatus: Backend['setStatus'] = (...a) => this.call('setStatus', ...a);
  createRoom: Backend['createRoom'] = (...a) => this.call('createRoom', ...a);
  browseRooms: Backend['browseRooms'] = (...a) => this.call('browseRooms', ...a);
  joinRoom: Backend['joinRoom'] = (...a) => this.call('joinRoom', ...a);
  leaveRoom: Backend['leaveRoom'] = (...a) => this.call('leaveRoom', ...a);
  invite: Backend['invite'] = (...a) => this.call('invite', ...a);
  removeMember: Backend['removeMember'] = (...a) => this.call('removeMember', ...a);
  updateRoom: Backend['updateRoom'] = (...a) => this.call('updateRoom', ...a);
  transferOwnership: Backend['transferOwnership'] = (...a) => this.call('transferOwnership', ...a);
  members: Backend['members'] = (...a) => this.call('members', ...a);
  openDirect: Backend['openDirect'] = (...a) => this.call('openDirect', ...a);
  searchUsers: Backend['searchUsers'] = (...a) => this.call('searchUsers', ...a);
  confirmAnnouncement: Backend['confirmAnnouncement'] = (...a) => this.call('confirmAnnouncement', ...a);
  openExternal: Backend['openExternal'] = (...a) => this.call('openExternal', ...a);
}

/** Whether a value looks like the preload bridge (so a stray global cannot pass for it). */
export function isBridge(value: unknown): value is BesedaBridge {
  const b = value as Partial<BesedaBridge> | null | undefined;
  return !!b && typeof b.invoke === 'function' && typeof b.onPatch === 'function' && typeof b.onNavigate === 'function';
}
