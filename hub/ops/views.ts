import type { User } from '../../common/protocol/model.ts';
import type { AccountRecord } from '../store/AccountStore.ts';
import type { AccountInfo } from './Hub.ts';
import type { Presence } from './Presence.ts';

/** A user as every signed-in user sees them, with live presence. */
export function toUser(account: AccountRecord | LegacyUserRow, presence: Presence): User {
  const a = recordOf(account);
  return {
    id: a.id,
    login: a.login,
    name: a.name,
    branch: a.branch,
    isBot: a.isBot,
    isAdmin: a.isAdmin,
    disabled: a.disabled,
    presence: a.disabled ? 'offline' : presence.statusOf(a.id),
    lastSeen: presence.lastSeenOf(a.id, a.lastSeen),
  };
}

/** A user as the admin CLI sees them. */
export function toAccountInfo(account: AccountRecord | LegacyUserRow, presence: Presence): AccountInfo {
  const a = recordOf(account);
  return { ...toUser(a, presence), email: a.email, createdAt: a.createdAt };
}

/**
 * The `users` row shape hub/integrations passed before it read accounts through the store.
 * Transitional: it goes once no caller passes a row any more.
 */
interface LegacyUserRow {
  id: number;
  login: string;
  name: string;
  branch: string | null;
  email: string | null;
  is_admin: number;
  is_bot: number;
  disabled: number;
  created_at: number;
  last_seen: number | null;
}

function recordOf(a: AccountRecord | LegacyUserRow): AccountRecord {
  if (!('is_admin' in a)) return a;
  return {
    id: a.id,
    login: a.login,
    name: a.name,
    isAdmin: a.is_admin === 1,
    isBot: a.is_bot === 1,
    disabled: a.disabled === 1,
    branch: a.branch,
    email: a.email,
    createdAt: a.created_at,
    lastSeen: a.last_seen,
  };
}
