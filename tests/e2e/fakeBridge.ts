// The stand-in for the desktop app's preload script in the desktop-path tests: a page-side
// window.besedaBridge that records every invoke (window.__calls), answers getState and deployment,
// and lets the test push patches (window.__pushPatch) and navigation (window.__navigate).
import type { ClientState } from '../../common/client/ClientState.ts';

/** What the stand-in's `deployment` call answers. */
export interface FakeDeployment {
  hubUrl: string | null;
  branch: string | null;
  hubUrlLocked: boolean;
}

/**
 * The init script that installs the stand-in bridge; `setup` is more page-side script run before it
 * (e.g. recording the addresses images get).
 */
export function fakeBridge(initial: ClientState, deployment: FakeDeployment, setup = ''): string {
  return `(() => {
  const calls = [];
  const patchListeners = [];
  const navigateListeners = [];
  window.__calls = calls;
  window.__pushPatch = (patch) => patchListeners.forEach((l) => l(patch));
  window.__navigate = (id) => navigateListeners.forEach((l) => l(id));
  ${setup}
  window.besedaBridge = {
    invoke(method, ...args) {
      calls.push([method, ...args]);
      if (method === 'getState') return Promise.resolve(${JSON.stringify(initial)});
      if (method === 'deployment') return Promise.resolve(${JSON.stringify(deployment)});
      return Promise.resolve(undefined);
    },
    onPatch(listener) { patchListeners.push(listener); return () => {}; },
    onNavigate(listener) { navigateListeners.push(listener); return () => {}; },
  };
})();`;
}
