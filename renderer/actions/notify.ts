import { toasts } from '../state/uiState.ts';
import type { Toast } from '../state/uiState.ts';
import { errorText } from './errorText.ts';

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

/** Runs a backend call; on failure shows why and resolves to undefined instead of throwing. */
export async function attempt<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    notify(errorText(error), 'error');
    return undefined;
  }
}
