import type { ParamsOf } from '../../common/protocol/clientFrame.ts';
import type { User, UserSettings } from '../../common/protocol/model.ts';
import type { Actor } from './Hub.ts';
import type { HubContext } from './HubContext.ts';
import { HubError } from './HubError.ts';
import type { Presence } from './Presence.ts';
import { toUser } from './views.ts';

/** Whether `zone` is an IANA time zone this hub's ICU knows (`Europe/Samara`), not just zone-shaped. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Read receipts (✓ delivered, ✓✓ read) in direct conversations and the user's own settings.
 * A person's received seq (the newest message any of their devices has) and read marker reach
 * the other person of a direct conversation as `receipt` frames — only while BOTH have receipts
 * on: switching them off hides mine from others and theirs from me.
 */
export class Receipts {
  constructor(
    private readonly ctx: HubContext,
    private readonly presence: Presence,
  ) {}

  /** The user's settings as `hello` and `settings` frames carry them. */
  async settingsOf(userId: number): Promise<UserSettings> {
    const account = await this.ctx.store.accounts.findUserById(userId);
    return { readReceipts: account?.readReceipts ?? true };
  }

  /** A device received messages up to `seq`: the user's received seq moves there (never back, never past the newest). */
  async received(actor: Actor, p: ParamsOf<'received'>): Promise<void> {
    const { store } = this.ctx;
    // A client cannot claim to have received what does not exist yet.
    const seq = Math.min(p.seq, await store.messages.lastSeq());
    const result = await store.accounts.advanceReceived(actor.userId, seq);
    if (!result?.moved) return;
    const peers = await store.accounts.directPeers(actor.userId, result.previous);
    for (const peer of peers) if (peer.receiptsOn) await this.tellPeer(peer.conversationId, peer.peerId);
  }

  /** The read marker of `conversationId` moved for the actor: a direct conversation's peer hears of it. */
  async readMoved(actor: Actor, conversationId: number): Promise<void> {
    const mine = await this.ctx.store.conversations.view(conversationId, actor.userId);
    if (mine?.kind !== 'direct' || mine.peerId === null || mine.peerReadSeq === undefined) return;
    await this.tellPeer(conversationId, mine.peerId);
  }

  /** The actor's read marker in a direct conversation (undefined elsewhere): compared after `read`. */
  async directReadSeq(actor: Actor, conversationId: number): Promise<number | undefined> {
    // The plain membership (no unread counts): this runs before every `read`.
    const mine = await this.ctx.store.conversations.membership(conversationId, actor.userId);
    return mine?.conversation.kind === 'direct' ? mine.member?.readSeq : undefined;
  }

  /**
   * Changes the user's settings. Every device of the user gets a `settings` frame; switching
   * receipts re-sends the user's and their peers' direct conversations (the fields appear or go).
   */
  async setSettings(actor: Actor, p: ParamsOf<'settings.set'>): Promise<{ settings: UserSettings; me: User }> {
    const { ctx } = this;
    if (p.timeZone !== undefined && !isTimeZone(p.timeZone))
      throw new HubError('bad_request', `"${p.timeZone}" is not a known IANA time zone`);
    const before = await ctx.store.accounts.findUserById(actor.userId);
    if (!before) throw new HubError('unauthorized', 'no such account');
    const change: { readReceipts?: boolean; timeZone?: string } = {};
    if (p.readReceipts !== undefined) change.readReceipts = p.readReceipts;
    if (p.timeZone !== undefined) change.timeZone = p.timeZone;
    const account = await ctx.store.accounts.updateSettings(actor.userId, change);
    if (!account) throw new HubError('unauthorized', 'no such account');
    const settings: UserSettings = { readReceipts: account.readReceipts };
    if (account.readReceipts !== before.readReceipts) {
      ctx.events.publish({ audience: { to: 'users', userIds: [actor.userId] }, frame: { type: 'settings', settings } });
      await this.resendDirect(actor.userId);
    } else if (p.readReceipts !== undefined) {
      // Unchanged, but another device may hold a stale value: it costs one small frame.
      ctx.events.publish({ audience: { to: 'users', userIds: [actor.userId] }, frame: { type: 'settings', settings } });
    }
    return { settings, me: toUser(account, this.presence) };
  }

  /** Sends the peer the conversation's current ✓ / ✓✓ as they see it. */
  private async tellPeer(conversationId: number, peerId: number): Promise<void> {
    const theirs = await this.ctx.store.conversations.view(conversationId, peerId);
    if (theirs?.peerReadSeq === undefined) return;
    this.ctx.events.publish({
      audience: { to: 'users', userIds: [peerId] },
      frame: {
        type: 'receipt',
        conversationId,
        peerReadSeq: theirs.peerReadSeq,
        ...(theirs.peerReceivedSeq !== undefined ? { peerReceivedSeq: theirs.peerReceivedSeq } : {}),
      },
    });
  }

  /** Every direct conversation of the user, re-sent to both people as each sees it now. */
  private async resendDirect(userId: number): Promise<void> {
    const { store, events } = this.ctx;
    for (const { conversationId, peerId } of await store.accounts.directPeers(userId, -1)) {
      for (const viewer of [userId, peerId]) {
        const conversation = await store.conversations.view(conversationId, viewer);
        if (conversation)
          events.publish({
            audience: { to: 'users', userIds: [viewer] },
            frame: { type: 'conversation', conversation },
          });
      }
    }
  }
}
