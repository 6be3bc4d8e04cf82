import type { JSX } from 'preact';
import type { Conversation, SearchHit, User } from '../../common/protocol/model.ts';
import { neutraliseBidi } from '../../common/text/neutraliseBidi.ts';
import { openResult } from '../actions/search.ts';
import { dayLabel, fullDateTime, timeLabel } from '../format/dates.ts';
import { language } from '../i18n/language.ts';
import { t } from '../i18n/t.ts';
import { client } from '../state/clientState.ts';
import { now } from '../state/clock.ts';
import { searchActiveIndex, searchOpened } from '../state/search.ts';
import { conversationName } from '../state/selectors.ts';
import { searchSnippet } from '../text/searchSnippet.ts';
import { UserText, personLabel } from '../ui/UserText.tsx';
import { ConversationIcon } from './ConversationIcon.tsx';

/** The element id of result `index` (the search box's active descendant). */
export function resultId(index: number): string {
  return `search-result-${index}`;
}

/**
 * Hits grouped by conversation, each group where its newest hit is (the hub ranks newest first),
 * numbered in the order they are shown (the arrow keys follow it).
 */
export function groupHits(
  hits: readonly SearchHit[],
): { conversationId: number; items: { hit: SearchHit; index: number }[] }[] {
  const groups = new Map<number, SearchHit[]>();
  for (const hit of hits) {
    const id = hit.message.conversationId;
    let list = groups.get(id);
    if (!list) groups.set(id, (list = []));
    list.push(hit);
  }
  let index = 0;
  return [...groups].map(([conversationId, list]) => ({
    conversationId,
    items: list.map((hit) => ({ hit, index: index++ })),
  }));
}

/** The hits in the order they are shown (grouped by conversation). */
export function shownOrder(hits: readonly SearchHit[]): SearchHit[] {
  return groupHits(hits).flatMap((g) => g.items.map((i) => i.hit));
}

/**
 * The matched part of a message: text nodes and `<mark>` elements (never HTML), with direction
 * controls neutralised piece by piece (the hub's offsets are into the text as it is).
 */
function SnippetText({ hit }: { hit: SearchHit }): JSX.Element {
  const m = hit.message;
  if (m.text.trim().length === 0) {
    const names = (m.files ?? []).map((f) => f.name).join(', ');
    return <bdi class="search-snippet">📎 {neutraliseBidi(names)}</bdi>;
  }
  const snippet = searchSnippet(m.text, hit.highlights);
  return (
    <bdi class="search-snippet" dir="auto">
      {snippet.cutStart && '…'}
      {snippet.parts.map((part, i) =>
        part.hit ? <mark key={i}>{neutraliseBidi(part.text)}</mark> : neutraliseBidi(part.text),
      )}
      {snippet.cutEnd && '…'}
    </bdi>
  );
}

function when(ts: number): string {
  const lang = language.value;
  return `${dayLabel(ts, now.value, lang)}, ${timeLabel(ts, lang)}`;
}

function ResultRow({ hit, index, user }: { hit: SearchHit; index: number; user: User | undefined }): JSX.Element {
  const m = hit.message;
  const active = index === searchActiveIndex.value;
  const opened = searchOpened.value;
  const isOpened = opened?.conversationId === m.conversationId && opened.seq === m.seq;
  const cls = ['search-result', active ? 'active' : '', isOpened ? 'opened' : ''].filter(Boolean).join(' ');
  return (
    <li
      id={resultId(index)}
      role="option"
      aria-selected={active}
      class={cls}
      data-seq={m.seq}
      onClick={() => {
        searchActiveIndex.value = index;
        openResult(hit);
      }}
    >
      <div class="search-result-head">
        <UserText
          class="search-sender"
          text={user?.name ?? m.displayName ?? t('search.unknownSender')}
          title={user ? personLabel(user) : undefined}
        />
        <time class="search-time" dateTime={new Date(m.ts).toISOString()} title={fullDateTime(m.ts, language.value)}>
          {when(m.ts)}
        </time>
      </div>
      <SnippetText hit={hit} />
      {m.text.trim().length > 0 && (m.files?.length ?? 0) > 0 && (
        <bdi class="search-files">📎 {neutraliseBidi(m.files!.map((f) => f.name).join(', '))}</bdi>
      )}
    </li>
  );
}

/** The results: one group per conversation (its mark and name), then sender, time and snippet of each hit. */
export function SearchResults({ hits }: { hits: readonly SearchHit[] }): JSX.Element {
  const users = client.users.value;
  const conversations = client.conversations.value;
  return (
    <>
      {groupHits(hits).map(({ conversationId, items }) => {
        const conversation: Conversation | undefined = conversations[conversationId];
        return (
          <li key={conversationId} class="search-group" role="presentation">
            <div class="search-group-title" role="presentation">
              {conversation && <ConversationIcon conversation={conversation} size="sm" />}
              <UserText text={conversation ? conversationName(conversation, users) : '…'} />
            </div>
            <ul
              role="group"
              aria-label={conversation ? neutraliseBidi(conversationName(conversation, users)) : undefined}
            >
              {items.map(({ hit, index }) => (
                <ResultRow key={hit.message.seq} hit={hit} index={index} user={users[hit.message.senderId]} />
              ))}
            </ul>
          </li>
        );
      })}
    </>
  );
}
