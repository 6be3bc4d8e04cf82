import type { FlashPolicy } from '../settings/DesktopSettings.ts';
import type { Attention } from '../../common/client/classifyMessage.ts';

/**
 * Whether a message makes the taskbar button flash: only while the window is on the taskbar but
 * not focused (hidden in the tray there is no button; focused, the user sees it), never while
 * do-not-disturb or mute is on, and by the user's policy: `mentions` = direct messages, mentions
 * and announcements; `all` = any new message from others in a conversation not set to `none`.
 */
export function shouldFlash(
  policy: FlashPolicy,
  attention: Attention,
  window: { shown: boolean; focused: boolean },
  silenced: boolean,
): boolean {
  if (policy === 'never' || silenced || !window.shown || window.focused) return false;
  if (policy === 'all') return attention.fresh;
  return attention.notify === 'direct' || attention.notify === 'mention' || attention.notify === 'announcement';
}
