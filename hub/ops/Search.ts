import type { ParamsOf } from '../../common/protocol/clientFrame.ts';
import type { SearchHit } from '../../common/protocol/model.ts';
import { requireMember } from './access.ts';
import type { Actor } from './Hub.ts';
import type { HubContext } from './HubContext.ts';
import { HubError } from './HubError.ts';

/** Hits per page when the client does not say. */
const defaultSearchPage = 20;
/** The most a page may hold (the protocol's own limit). */
const maxSearchPage = 50;

/** Message search (docs/protocol.md, "search"). */
export class Search {
  constructor(private readonly ctx: HubContext) {}

  /**
   * Messages the actor may read now that match the query and the filters, newest first. A
   * conversation filter must name a conversation the actor is in (as for `history`); a query
   * with nothing to search for is `bad_request` with the reason, never a storage error.
   */
  async search(actor: Actor, p: ParamsOf<'search'>): Promise<{ hits: SearchHit[]; more: boolean }> {
    if (p.since !== undefined && p.until !== undefined && p.since >= p.until)
      throw new HubError('bad_request', '`since` must be before `until`');
    if (p.conversationId !== undefined) await requireMember(this.ctx, p.conversationId, actor.userId);
    const outcome = await this.ctx.store.search.messages({
      userId: actor.userId,
      query: p.query,
      ...(p.conversationId !== undefined && { conversationId: p.conversationId }),
      ...(p.fromUserId !== undefined && { fromUserId: p.fromUserId }),
      ...(p.since !== undefined && { since: p.since }),
      ...(p.until !== undefined && { until: p.until }),
      ...(p.hasFiles !== undefined && { hasFiles: p.hasFiles }),
      ...(p.beforeSeq !== undefined && { beforeSeq: p.beforeSeq }),
      limit: Math.max(1, Math.min(p.limit ?? defaultSearchPage, maxSearchPage)),
    });
    if (outcome.kind === 'bad_query') throw new HubError('bad_request', outcome.reason);
    return { hits: outcome.hits, more: outcome.more };
  }
}
