// The bridge between the sandboxed page and the main process: nothing but calls to the Backend
// methods (the main process checks each one) and two event streams. No Node, no Electron objects
// and no `ipcRenderer` itself reach the page.
import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import type { BesedaBridge } from '../common/ipc/BesedaBridge.ts';
import { IpcChannel, bridgeGlobalName } from '../common/ipc/channels.ts';
import type { InvokeReply } from '../common/ipc/InvokeReply.ts';
import type { StatePatch } from '../common/client/ClientState.ts';

const bridge: BesedaBridge = {
  async invoke(method, ...args) {
    const reply = (await ipcRenderer.invoke(IpcChannel.invoke, method, ...args)) as InvokeReply;
    if (reply.ok) return reply.value;
    // A plain object, not an Error: across the context bridge an Error keeps only its message.
    throw { name: 'RequestError', code: reply.code, message: reply.message };
  },
  onPatch(listener) {
    const handler = (_event: IpcRendererEvent, patch: StatePatch) => listener(patch);
    ipcRenderer.on(IpcChannel.patch, handler);
    return () => void ipcRenderer.removeListener(IpcChannel.patch, handler);
  },
  onNavigate(listener) {
    const handler = (_event: IpcRendererEvent, conversationId: number) => listener(conversationId);
    ipcRenderer.on(IpcChannel.navigate, handler);
    return () => void ipcRenderer.removeListener(IpcChannel.navigate, handler);
  },
};

contextBridge.exposeInMainWorld(bridgeGlobalName, bridge);
