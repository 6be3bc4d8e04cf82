import type { ClientState } from '../../common/client/ClientState.ts';

/** What the tray icon shows, most urgent first when several apply. */
export type TrayKind = 'signed-out' | 'disconnected' | 'mention' | 'unread' | 'connected';

/** Everything the tray icon, its tooltip and the taskbar badge are drawn from. */
export interface TrayStatus {
  kind: TrayKind;
  /** Unread messages over all conversations (the last known number while disconnected). */
  unread: number;
  /** Of those, mentions and direct messages. */
  mentions: number;
  /** The count as drawn on the icon: `1`..`9`, `9+`, or null for none. */
  badge: string | null;
  /** Whether a connection attempt is under way (tooltip says "connecting" rather than "offline"). */
  connecting: boolean;
}

/** The count as an icon can hold it: nothing for 0, `1`..`9`, then `9+`. */
export function badgeText(count: number): string | null {
  if (!Number.isFinite(count) || count <= 0) return null;
  return count > 9 ? '9+' : String(Math.floor(count));
}

/**
 * Derives the tray status from the client state. Signed out shows no count (there is none to
 * trust); disconnected keeps the last known count, drawn grey, so a network blip does not make
 * unread messages vanish.
 */
export function trayStatus(state: Pick<ClientState, 'connection' | 'totalUnread' | 'totalMentions'>): TrayStatus {
  const unread = Math.max(0, state.totalUnread);
  const mentions = Math.max(0, Math.min(state.totalMentions, unread));
  if (state.connection === 'signed-out')
    return { kind: 'signed-out', unread: 0, mentions: 0, badge: null, connecting: false };
  const badge = badgeText(unread);
  if (state.connection !== 'connected')
    return { kind: 'disconnected', unread, mentions, badge, connecting: state.connection === 'connecting' };
  const kind: TrayKind = mentions > 0 ? 'mention' : unread > 0 ? 'unread' : 'connected';
  return { kind, unread, mentions, badge, connecting: false };
}
