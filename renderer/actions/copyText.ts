import { t } from '../i18n/t.ts';
import { notify } from './notify.ts';

/**
 * Puts text on the clipboard and says so with a short notice (`done`). The page served over plain
 * http on a LAN has no `navigator.clipboard`; there the old selection-and-copy command is used.
 */
export async function copyText(text: string, done: string): Promise<void> {
  try {
    if (navigator.clipboard && window.isSecureContext) await navigator.clipboard.writeText(text);
    else copyBySelection(text);
    notify(done);
  } catch {
    notify(t('format.copyFailed'), 'error');
  }
}

function copyBySelection(text: string): void {
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  try {
    if (!document.execCommand('copy')) throw new Error('copy refused');
  } finally {
    area.remove();
  }
}
