import { CloseCode } from '../../common/protocol/errors.ts';
import type { HubContext } from './HubContext.ts';
import { HubError } from './HubError.ts';

/**
 * Administrator rights (`user.setAdmin`, the web console's «Администратор» switch). Directory sync
 * never changes them (issue 16); only an administrator, here or with the CLI, does.
 */
export class AdminRights {
  constructor(private readonly ctx: HubContext) {}

  /**
   * Gives or takes the right. The person's open connections are closed (1001, they reconnect at
   * once) so every socket runs with the new rights from its next hello, never with stale ones.
   */
  async setAdmin(loginInput: string, isAdmin: boolean): Promise<{ login: string; isAdmin: boolean; changed: boolean }> {
    const { ctx } = this;
    const login = loginInput.trim().toLowerCase();
    const account = await ctx.store.accounts.findUserByLogin(login);
    if (!account) throw new HubError('not_found', `no account "${loginInput}"`);
    const outcome = await ctx.store.adminRights.setAdmin(account.id, isAdmin);
    if (outcome === 'not_found') throw new HubError('not_found', `no account "${loginInput}"`);
    if (outcome === 'bot') throw new HubError('bad_request', `"${login}" is a bot: bots are never administrators`);
    if (outcome === 'last_admin')
      throw new HubError('conflict', `"${login}" is the last administrator: make someone else one first`);
    if (outcome === 'changed') {
      ctx.events.disconnect({ userId: account.id }, CloseCode.GoingAway, 'administrator rights changed');
      ctx.log.info(
        { userId: account.id, isAdmin },
        isAdmin ? 'administrator right given' : 'administrator right taken',
      );
    }
    return { login, isAdmin, changed: outcome === 'changed' };
  }
}
