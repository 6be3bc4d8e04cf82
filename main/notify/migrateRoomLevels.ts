import type { Backend } from '../../common/client/Backend.ts';
import type { ClientState } from '../../common/client/ClientState.ts';
import type { Log } from '../log/Log.ts';
import type { DesktopSettings } from '../settings/DesktopSettings.ts';

/**
 * Moves the per-room levels older versions kept in the desktop settings (`roomNotify`) to the hub
 * (`conversations.notify`), once: the hub's level is the one every device obeys now. A room whose
 * level the user already chose on the hub (from a browser) keeps that; a room the user is no
 * longer in is dropped. What went across (or was dropped) leaves the setting; what failed (the hub
 * went away) stays for the next connection. Resolves to whether nothing is left to move.
 */
export async function migrateRoomLevels(
  settings: DesktopSettings,
  state: Pick<ClientState, 'conversations'>,
  client: Pick<Backend, 'setNotify'>,
  log: Log,
): Promise<boolean> {
  const legacy = settings.get('roomNotify');
  const entries = Object.entries(legacy);
  if (!entries.length) return true;
  const left: Record<string, (typeof legacy)[string]> = {};
  await Promise.all(
    entries.map(async ([id, level]) => {
      const conversation = state.conversations[Number(id)];
      if (!conversation || conversation.notify !== undefined) return;
      try {
        await client.setNotify(conversation.id, { notify: level });
      } catch (err) {
        left[id] = level;
        log.warn('room notification level not moved to the hub yet', { error: (err as Error).message });
      }
    }),
  );
  settings.set('roomNotify', left);
  log.info('room notification levels moved to the hub', { moved: entries.length - Object.keys(left).length });
  return Object.keys(left).length === 0;
}
