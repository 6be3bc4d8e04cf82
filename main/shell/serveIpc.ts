import { ipcMain } from 'electron';
import type { Backend } from '../../common/client/Backend.ts';
import { IpcChannel } from '../../common/ipc/channels.ts';
import type { InvokeReply } from '../../common/ipc/InvokeReply.ts';
import { checkInvoke } from '../ipc/checkInvoke.ts';
import type { Log } from '../log/Log.ts';

/**
 * Answers `invoke` from the renderer: every call checked (sender is our page's top frame, the
 * method is a Backend method, the arguments have the right shape) before it reaches `backend`.
 */
export function serveIpc(backend: Backend, log: Log): void {
  ipcMain.handle(IpcChannel.invoke, async (event, method: unknown, ...args: unknown[]): Promise<InvokeReply> => {
    const frame = event.senderFrame;
    const checked = checkInvoke({ frameUrl: frame?.url, isMainFrame: !!frame && frame.parent === null }, method, args);
    if (!checked.ok) {
      log.warn('IPC call refused', { reason: checked.reason });
      return { ok: false, code: 'forbidden', message: 'refused' };
    }
    try {
      const fn = backend[checked.method] as (...a: unknown[]) => Promise<unknown>;
      return { ok: true, value: await fn(...checked.args) };
    } catch (err) {
      const e = err as { code?: unknown; message?: unknown };
      return {
        ok: false,
        code: typeof e?.code === 'string' ? e.code : 'internal',
        message: typeof e?.message === 'string' ? e.message : 'failed',
      };
    }
  });
}
