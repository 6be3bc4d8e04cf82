import type { ParamsOf } from '../../common/protocol/clientFrame.ts';
import { requireMember } from './access.ts';
import type { Actor } from './Hub.ts';
import type { HubContext } from './HubContext.ts';

/** Repeats within this window are dropped: clients send "typing" on every few keystrokes. */
const coalesceMs = 2000;

/** Relays "typing" to the other members; never stored. */
export class Typing {
  private readonly lastSent = new Map<string, number>();

  constructor(private readonly ctx: HubContext) {}

  /** Tells the other members (who are connected) that the actor is typing. */
  async typing(actor: Actor, p: ParamsOf<'typing'>): Promise<void> {
    const { conversation } = await requireMember(this.ctx, p.conversationId, actor.userId);
    const now = this.ctx.clock();
    const key = `${actor.userId}:${conversation.id}`;
    const last = this.lastSent.get(key);
    if (last !== undefined && now - last < coalesceMs) return;
    if (this.lastSent.size > 10_000) {
      for (const [k, t] of this.lastSent) if (now - t >= coalesceMs) this.lastSent.delete(k);
    }
    this.lastSent.set(key, now);
    const frame = { type: 'typing' as const, conversationId: conversation.id, userId: actor.userId };
    // The general room's members are everyone: `everyone` reaches every person's sockets on every
    // node (not bots'), where a list of this node's connected people would leave out those connected
    // to other nodes.
    if (conversation.kind === 'general') {
      this.ctx.events.publish({ audience: { to: 'everyone', except: actor.userId }, frame, ephemeral: true });
      return;
    }
    const others = (await this.ctx.store.conversations.memberIds(conversation.id)).filter((id) => id !== actor.userId);
    if (others.length === 0) return;
    this.ctx.events.publish({ audience: { to: 'users', userIds: others }, frame, ephemeral: true });
  }
}
