import * as v from 'valibot';
import { backendMethods } from '../../common/client/Backend.ts';
import type { BackendMethod } from '../../common/client/Backend.ts';
import { isAppUrl } from '../security/appProtocol.ts';
import { invokeSchemas } from './invokeSchemas.ts';

/** Who sent an IPC message, as Electron reports it. */
export interface IpcSender {
  /** The URL of the frame that sent it (`event.senderFrame.url`). */
  frameUrl: string | null | undefined;
  /** Whether that frame is the top frame of its page. */
  isMainFrame: boolean;
}

/** A checked call, or why it was refused. */
export type CheckedInvoke = { ok: true; method: BackendMethod; args: unknown[] } | { ok: false; reason: string };

/**
 * Checks one `invoke` from the renderer: it must come from the top frame of our own UI
 * (`app://beseda`), name a Backend method, and carry arguments of the right shape.
 */
export function checkInvoke(sender: IpcSender, method: unknown, args: readonly unknown[]): CheckedInvoke {
  if (!sender.isMainFrame || !isAppUrl(sender.frameUrl)) return { ok: false, reason: 'sender is not the app page' };
  if (typeof method !== 'string' || !(backendMethods as readonly string[]).includes(method))
    return { ok: false, reason: 'unknown method' };
  const name = method as BackendMethod;
  const parsed = v.safeParse(invokeSchemas[name], args);
  if (!parsed.success) {
    // Only where and what kind: valibot's messages quote the received value, which may be private.
    const issue = parsed.issues[0];
    const where = issue.path?.map((p) => String(p.key)).join('.') ?? '';
    return { ok: false, reason: `${name}: bad argument ${where} (${issue.type})` };
  }
  return { ok: true, method: name, args: parsed.output as unknown[] };
}
