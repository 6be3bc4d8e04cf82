import type { User } from '../../../common/protocol/model.ts';
import type { Actor } from '../Hub.ts';
import type { HubContext } from '../HubContext.ts';
import { HubError } from '../HubError.ts';
import type { Presence } from '../Presence.ts';
import { newToken } from '../tokens.ts';
import { toUser } from '../views.ts';
import type { AccountRecord } from '../../store/AccountStore.ts';
import { externalIdPattern } from './checkEntry.ts';
import { hashSecret, isWellFormedSecret, newSecret } from './secrets.ts';

/** How long a link may wait to be opened, by default and at most. */
export const embedLinkTtl = { defaultSeconds: 60, maxSeconds: 600 };
/** How long the page has to exchange the code it was handed (it does so at once). */
const codeTtlMs = 60_000;
/** Used links are kept this long after expiry (a second use answers "used"), then deleted. */
const keepMs = 24 * 3600_000;

/**
 * One-time links that sign a person in to the web client inside a 1C form's HTML field. An
 * integration allowed to embed (or an administrator) asks for a link for a login; opening it
 * once hands the page a one-time code (in the URL fragment, which never reaches a server or a
 * log), and the page exchanges the code for a session token. Each step works once, briefly.
 * Links are made only for people who are neither administrators nor bots, and the session is
 * chat-scoped: the chat protocol only, never administrator rights nor the HTTP API.
 */
export class EmbedLinks {
  constructor(
    private readonly ctx: HubContext,
    private readonly presence: Presence,
    private readonly canEmbed: (actor: Actor) => Promise<boolean>,
  ) {}

  /** A new link's secret for an active person, named by login or by external id (1C). */
  async create(
    actor: Actor,
    input: { login?: string; externalId?: string; ttlSeconds?: number },
  ): Promise<{ secret: string; expiresAt: number }> {
    const { ctx } = this;
    if (!actor.isAdmin && !(await this.canEmbed(actor)))
      throw new HubError(
        'forbidden',
        'this token may not create embed links (an administrator gives a bot that right: bot add --embed)',
      );
    const user = await this.person(input);
    const refusal = targetRefusal(user);
    if (refusal) throw refusal;
    if (user.disabled) throw new HubError('account_disabled', 'the account is disabled');
    const ttl = Math.round(input.ttlSeconds ?? embedLinkTtl.defaultSeconds);
    if (!(ttl >= 1 && ttl <= embedLinkTtl.maxSeconds))
      throw new HubError('bad_request', `"ttlSeconds" is 1 to ${embedLinkTtl.maxSeconds}`);
    const now = ctx.clock();
    const { secret, hash } = newSecret();
    const expiresAt = now + ttl * 1000;
    await ctx.store.integrations.createEmbedLink(
      { secretHash: hash, userId: user.id, createdBy: actor.userId, expiresAt },
      now - keepMs,
    );
    ctx.log.info({ userId: user.id, by: actor.userId }, 'embed link created');
    return { secret, expiresAt };
  }

  /** The account a link is asked for: by `externalId` or by `login` (exactly one of them). */
  private async person(input: { login?: string; externalId?: string }): Promise<AccountRecord> {
    const { accounts } = this.ctx.store;
    if ((input.login === undefined) === (input.externalId === undefined))
      throw new HubError('bad_request', 'name the person by "externalId" or by "login" (one of them)');
    if (input.externalId !== undefined) {
      if (!externalIdPattern.test(input.externalId))
        throw new HubError('bad_request', 'an external id is 1 to 200 of A-Z a-z 0-9 . _ : { } -');
      const user = await accounts.findUserByExternalId(input.externalId);
      if (!user) throw new HubError('not_found', `nobody has the external id "${input.externalId}"`);
      return user;
    }
    const login = input.login!.trim();
    const user = await accounts.findUserByLogin(login.toLowerCase());
    if (!user) throw new HubError('not_found', `no user "${login}"`);
    return user;
  }

  /** Uses a link: its one-time code for the page, or null if the link is unknown, used or expired. */
  async open(secret: string): Promise<string | null> {
    const { ctx } = this;
    if (!isWellFormedSecret(secret)) return null;
    const code = newSecret();
    const now = ctx.clock();
    const userId = await ctx.store.integrations.openEmbedLink(hashSecret(secret), code.hash, now, now + codeTtlMs);
    if (userId === undefined) return null;
    return code.secret;
  }

  /** Exchanges a page's one-time code for a new session of the link's person. */
  async redeem(code: string, source: string): Promise<{ token: string; user: User }> {
    const { ctx } = this;
    const refused = () =>
      new HubError('unauthorized', 'this sign-in link was used already or has expired; ask for a new one');
    if (!isWellFormedSecret(code)) throw refused();
    const now = ctx.clock();
    const { token, hash } = newToken();
    const outcome = await ctx.store.integrations.redeemEmbedCode(hashSecret(code), {
      tokenHash: hash,
      source: `embed ${source}`,
      now,
    });
    if (outcome.kind === 'refused') {
      if (outcome.reason === 'unknown_code') throw refused();
      // Checked again (the code stays used): a link made before this rule, or an account that became one since.
      if (outcome.reason === 'privileged') throw targetRefusal(outcome.account) ?? refused();
      throw new HubError('account_disabled', 'the account is disabled');
    }
    ctx.log.info(
      { userId: outcome.account.id, sessionId: outcome.sessionId, source },
      'signed in through an embed link',
    );
    return { token, user: toUser(outcome.account, this.presence) };
  }
}

/**
 * Administrators and bots never sign in through a link: a token allowed to embed must not become
 * an administrator's session (which could reset passwords), nor act as a bot in the web client.
 */
function targetRefusal(user: AccountRecord): HubError | undefined {
  if (user.isAdmin)
    return new HubError(
      'forbidden',
      `"${user.login}" is an administrator: embed links are never made for administrators (they sign in with their password)`,
    );
  if (user.isBot) return new HubError('forbidden', `"${user.login}" is a bot: embed links are made only for people`);
  return undefined;
}
