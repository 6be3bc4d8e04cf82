import type { User } from '../../common/protocol/model.ts';
import { t } from '../i18n/t.ts';

/** A member the client has not loaded yet, as an "unknown user" stand-in, so the lists can show them. */
export function userOrPlaceholder(users: Record<number, User>, id: number): User {
  return (
    users[id] ?? {
      id,
      login: '',
      name: t('user.unknown', { id }),
      branch: null,
      isBot: false,
      isAdmin: false,
      disabled: false,
      presence: 'offline',
      lastSeen: null,
    }
  );
}
