import { randomUUID } from 'node:crypto';
import type { Attachment, Block, Message, MessageAction } from '../../../common/protocol/model.ts';
import type { Accounts } from '../Accounts.ts';
import { requireMember } from '../access.ts';
import type { Actor } from '../Hub.ts';
import type { HubContext } from '../HubContext.ts';
import { HubError } from '../HubError.ts';
import type { PostInput, PostTarget } from '../IntegrationTypes.ts';
import type { MessageChanges } from '../MessageChanges.ts';
import type { Messaging, PostExtras } from '../Messaging.ts';
import type { Presence } from '../Presence.ts';
import type { Rooms } from '../Rooms.ts';
import { Announcements } from './Announcements.ts';
import { Bots } from './Bots.ts';
import { DirectorySync } from './DirectorySync.ts';
import { EmbedLinks } from './EmbedLinks.ts';
import { Hooks } from './Hooks.ts';
import { convertBlocks } from './blockKit.ts';
import { checkActions } from '../MessageButtons.ts';
import { normalizeAttachments } from './normalizeAttachments.ts';
import { SlackTexts } from './slackMarkup.ts';
import { parseTarget, personId, resolveTarget } from './resolveTarget.ts';
import { UnknowablePassword } from './UnknowablePassword.ts';

/** The hub parts integrations build on. */
export interface IntegrationDeps {
  ctx: HubContext;
  accounts: Accounts;
  presence: Presence;
  messaging: Messaging;
  /** Edits a bot's earlier message for `replace`. */
  changes: MessageChanges;
  rooms: Rooms;
}

/** Everything integrations add to the hub (docs/integrations.md), wired together once. */
export class Integrations {
  readonly bots: Bots;
  readonly hooks: Hooks;
  readonly announcements: Announcements;
  readonly directory: DirectorySync;
  readonly embedLinks: EmbedLinks;

  constructor(private readonly deps: IntegrationDeps) {
    const password = new UnknowablePassword(deps.accounts);
    this.bots = new Bots(deps.ctx, password);
    this.hooks = new Hooks(deps.ctx, deps.messaging, deps.rooms, password);
    this.announcements = new Announcements(deps.ctx, deps.messaging);
    this.directory = new DirectorySync(deps.ctx, deps.accounts, deps.presence, password);
    this.embedLinks = new EmbedLinks(
      deps.ctx,
      deps.presence,
      async (actor) => (await this.bots.rights(actor)).canEmbed,
    );
  }

  /**
   * A message from a bot or an administrator's session (`POST /api/v1/messages`) to `@login`,
   * `#room` or a conversation id, through the normal send path (group commit, exactly once with
   * `clientId`, fan-out). People's own sessions use the WebSocket protocol instead.
   */
  async post(actor: Actor, input: PostInput): Promise<Message> {
    requirePoster(actor);
    if (typeof input.text !== 'string') throw new HubError('bad_request', '"text" must be a string');
    const conversationId = await resolveTarget(this.deps.ctx, this.deps.rooms, actor, input.to);
    const cards = this.cards(actor, input);
    const extras: PostExtras = {
      attachments: cards.attachments,
      blocks: cards.blocks,
      actions: cards.actions,
      cardsSayAll: cards.saysAll,
    };
    const displayName = input.displayName?.trim();
    if (displayName) extras.displayName = [...displayName].slice(0, 80).join('');
    return this.deps.messaging.post(
      actor,
      {
        conversationId,
        clientId: input.clientId ?? `api-${randomUUID()}`,
        text: input.text,
        ...(input.files ? { files: input.files } : {}),
      },
      extras,
    );
  }

  /**
   * `POST /api/v1/messages` with `replace: true`: the bot's message with this `clientId` gets the
   * new text, attachments and blocks through the edit path (`replaced`: there was one; nothing
   * changes when they are the same), else the message is posted as new. The earlier message stays
   * where it was posted (`to` is not looked at again) and keeps its files.
   */
  async replace(actor: Actor, input: PostInput): Promise<{ message: Message; replaced: boolean }> {
    requirePoster(actor);
    if (typeof input.text !== 'string') throw new HubError('bad_request', '"text" must be a string');
    if (!input.clientId) throw new HubError('bad_request', '"replace" needs the "clientId" of the message it replaces');
    const { ctx, changes } = this.deps;
    const cards = this.cards(actor, input);
    const content = { text: input.text, ...cards };
    const earlier = await ctx.store.messages.findByClientId(actor.userId, input.clientId);
    if (earlier) {
      if ((input.files?.length ?? 0) > 0) throw filesRefusal();
      return { message: (await changes.replace(actor, earlier.seq, content)).message, replaced: true };
    }
    const posted = await this.post(actor, input);
    // A concurrent call with this clientId may have posted first, with other content: this one's wins.
    if (sameCards(posted, content)) return { message: posted, replaced: false };
    return { message: (await changes.replace(actor, posted.seq, content)).message, replaced: true };
  }

  /** A post's cards as the hub keeps them, their Slack markup translated; whether one says `<!here>`. */
  private cards(
    actor: Actor,
    input: PostInput,
  ): {
    attachments: Attachment[];
    blocks: Block[];
    actions: MessageAction[];
    saysAll: boolean;
  } {
    const texts = new SlackTexts();
    const attachments = normalizeAttachments(input.attachments, texts);
    const blocks = input.blocks === undefined || input.blocks === null ? [] : convertBlocks(input.blocks, texts);
    const actions = checkActions(input.actions);
    // A click calls the posting bot back: a person (an administrator's session) has no callback.
    if (actions.length > 0 && !actor.isBot) throw new HubError('forbidden', 'only bots post buttons');
    return { attachments, blocks, actions, saysAll: texts.saysAll };
  }

  /**
   * Asked by a multipart post before its first file part is stored. `skip` when a message with
   * this `clientId` exists already (a retry: its parts are read and dropped, the post answers the
   * original); otherwise checks, changing nothing, that the actor could post to `to` now (when the
   * form gave it before the files), so a mistyped login or a room the bot was not given is refused
   * before any upload. The post itself checks everything again.
   */
  async beforeFiles(
    actor: Actor,
    input: { to?: PostTarget; clientId?: string; replace?: boolean },
  ): Promise<'store' | 'skip'> {
    requirePoster(actor);
    const { ctx } = this.deps;
    if (input.clientId && (await ctx.store.messages.findByClientId(actor.userId, input.clientId))) {
      // A replace would edit that message, and its files cannot change: refused before any upload.
      if (input.replace) throw filesRefusal();
      return 'skip';
    }
    if (input.to === undefined) return 'store';
    const target = await parseTarget(ctx, input.to);
    if (target.kind === 'unknown-room') throw new HubError('not_found', 'no such conversation');
    if (target.kind === 'person') await personId(ctx, actor, target.login);
    else await requireMember(ctx, target.id, actor.userId);
    return 'store';
  }

  /** Whether an actor may change the people directory: administrators, and bots given that right. */
  async mayManageUsers(actor: Actor): Promise<boolean> {
    return actor.isAdmin || (await this.bots.rights(actor)).canManageUsers;
  }
}

/**
 * Refuses a caller who may not post through the HTTP API (people's own sessions use the
 * WebSocket protocol); the multipart route asks before storing any file part.
 */
export function requirePoster(actor: Actor): void {
  if (!actor.isBot && !actor.isAdmin)
    throw new HubError('forbidden', "use a bot token (beseda-hub bot add) or an administrator's session");
}

function filesRefusal(): HubError {
  return new HubError(
    'bad_request',
    'a replace cannot change the files of the earlier message: send the new file as a new message (another clientId)',
  );
}

/** Whether a posted message already carries this text and these cards (as the store keeps them). */
function sameCards(
  message: Message,
  content: { text: string } & Pick<Message, 'attachments' | 'blocks' | 'actions'>,
): boolean {
  const json = (cards: readonly unknown[] | undefined) => (cards && cards.length > 0 ? JSON.stringify(cards) : null);
  return (
    message.text === content.text &&
    json(message.attachments) === json(content.attachments) &&
    json(message.blocks) === json(content.blocks) &&
    json(message.actions) === json(content.actions)
  );
}
