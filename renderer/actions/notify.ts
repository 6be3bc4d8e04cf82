import { toasts } from '../state/uiState.ts';
import type { Toast } from '../state/uiState.ts';
import { t } from '../i18n/t.ts';

let nextId = 1;

/** Shows a short notice for a few seconds. */
export function notify(text: string, tone: Toast['tone'] = 'info'): void {
  const id = nextId++;
  toasts.value = [...toasts.value.slice(-2), { id, text, tone }];
  setTimeout(() => dismissToast(id), tone === 'error' ? 8000 : 3500);
}

/** Removes a notice (its close button, or its time ran out). */
export function dismissToast(id: number): void {
  toasts.value = toasts.value.filter((toast) => toast.id !== id);
}

/** The protocol error code of a failed backend call, if it has one. */
export function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

/** The user-facing text for a failed backend call, by the protocol's error code when there is one. */
export function errorText(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = typeof e?.message === 'string' ? e.message : String(error);
  if (code === 'forbidden') return t('app.errorForbidden');
  if (code === 'not_found') return t('app.errorNotFound');
  if (['unavailable', 'offline', 'disconnected', 'timeout'].includes(code)) return t('app.errorOffline');
  if (code === 'conflict') return t('app.errorConflict', { message });
  return t('app.error', { message });
}

/** Runs a backend call; on failure shows why and resolves to undefined instead of throwing. */
export async function attempt<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    notify(errorText(error), 'error');
    return undefined;
  }
}
