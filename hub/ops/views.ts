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
    ...contactsOf(account),
  };
}

/**
 * The profile card's fields, only those that are set. Position, phone and e-mail come from the
 * organisation's directory and are shown to every signed-in colleague, as a staff list would be
 * (docs/protocol.md, "Profile card"); the time zone is what the person's app reported.
 */
function contactsOf(account: AccountRecord): Pick<User, 'position' | 'phone' | 'email' | 'timeZone'> {
  const contacts: Pick<User, 'position' | 'phone' | 'email' | 'timeZone'> = {};
  if (account.position) contacts.position = account.position;
  if (account.phone) contacts.phone = account.phone;
  if (account.email) contacts.email = account.email;
  if (account.timeZone) contacts.timeZone = account.timeZone;
  return contacts;
}

/** A user as the admin CLI sees them. */
export function toAccountInfo(account: AccountRecord, presence: Presence): AccountInfo {
  return {
    ...toUser(account, presence),
    email: account.email,
    createdAt: account.createdAt,
    externalId: account.externalId,
  };
}
