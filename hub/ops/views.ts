import type { User } from '../../common/protocol/model.ts';
import type { AccountRecord } from '../store/AccountStore.ts';
import type { AccountInfo } from './Hub.ts';
import type { Presence } from './Presence.ts';

/** A user as every signed-in user sees them, with live presence. */
export function toUser(account: AccountRecord, presence: Presence): User {
  return {
    id: account.id,
    login: account.login,
    name: account.name,
    branch: account.branch,
    isBot: account.isBot,
    isAdmin: account.isAdmin,
    disabled: account.disabled,
    presence: account.disabled ? 'offline' : presence.statusOf(account.id),
    lastSeen: presence.lastSeenOf(account.id, account.lastSeen),
  };
}

/** A user as the admin CLI sees them. */
export function toAccountInfo(account: AccountRecord, presence: Presence): AccountInfo {
  return { ...toUser(account, presence), email: account.email, createdAt: account.createdAt };
}
