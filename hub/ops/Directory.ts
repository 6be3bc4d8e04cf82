import type { ParamsOf } from '../../common/protocol/clientFrame.ts';
import type { User } from '../../common/protocol/model.ts';
import type { Actor } from './Hub.ts';
import type { HubContext } from './HubContext.ts';
import type { Presence } from './Presence.ts';
import { toUser } from './views.ts';

const defaultLimit = 50;
const maxLimit = 200;

/** The people directory: every signed-in user may see every account (disabled ones last). */
export class Directory {
  constructor(
    private readonly ctx: HubContext,
    private readonly presence: Presence,
  ) {}

  /** Users whose login or name contains the query, case-insensitively (Cyrillic included). */
  async searchUsers(_actor: Actor, p: ParamsOf<'users.search'>): Promise<User[]> {
    const limit = Math.max(1, Math.min(p.limit ?? defaultLimit, maxLimit));
    const found = await this.ctx.store.accounts.searchUsers((p.query ?? '').trim(), limit, p.offset ?? 0);
    return found.map((account) => toUser(account, this.presence));
  }

  /** The users with these ids that exist. */
  async getUsers(_actor: Actor, p: ParamsOf<'users.get'>): Promise<User[]> {
    const found = await this.ctx.store.accounts.findUsersByIds(p.ids);
    return found.map((account) => toUser(account, this.presence));
  }
}
