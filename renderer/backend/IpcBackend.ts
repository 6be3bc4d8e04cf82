import type { Backend } from '../../common/client/Backend.ts';
import { forwardBackend } from '../../common/client/forwardBackend.ts';
import type { BesedaBridge } from '../../common/ipc/BesedaBridge.ts';

/**
 * The desktop {@link Backend}: the client core runs in Electron's main process, and every call
 * crosses the preload bridge as `invoke(method, ...args)`; state patches come back via `onPatch`.
 * The methods are generated from `backendMethods` (see {@link forwardBackend}); typed as a
 * constructor so that it is made as `new IpcBackend(bridge)`.
 */
export const IpcBackend = class IpcBackend {
  constructor(bridge: BesedaBridge) {
    Object.assign(
      this,
      forwardBackend(
        (method, ...args) => bridge.invoke(method, ...args),
        (listener) => bridge.onPatch(listener),
      ),
    );
  }
} as new (bridge: BesedaBridge) => Backend;

/** Whether a value looks like the preload bridge (so a stray global cannot pass for it). */
export function isBridge(value: unknown): value is BesedaBridge {
  const b = value as Partial<BesedaBridge> | null | undefined;
  return !!b && typeof b.invoke === 'function' && typeof b.onPatch === 'function' && typeof b.onNavigate === 'function';
}
