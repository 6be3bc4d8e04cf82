import '../styles/messageActions.css';
import '../styles/unread.css';
import type { JSX } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { MessageView } from '../../common/client/ClientState.ts';
import type { Conversation } from '../../common/protocol/model.ts';
import { loadOlder } from '../actions/messaging.ts';
import { loadNewer, markSeen } from '../actions/reading.ts';
import { t } from '../i18n/t.ts';
import { VirtualList } from '../list/VirtualList.tsx';
import { client } from '../state/clientState.ts';
import {
  bottomRequest,
  focusedMessageKey,
  jumpRequest,
  openMessageMenu,
  pageVisible,
  unreadDivider,
} from '../state/uiState.ts';
import { buildRows } from './buildRows.ts';
import { DeleteDialog } from './DeleteDialog.tsx';
import { fitImage } from './fitImage.ts';
import { MessageMenu } from './MessageMenu.tsx';
import { MessageRow } from './MessageRow.tsx';
import type { ListRow } from './MessageRow.tsx';
import { rovingKey } from './rovingFocus.ts';
import { UnreadButtons } from './UnreadButtons.tsx';
import { useLanding } from './useLanding.ts';
import { useNewerPages } from './useNewerPages.ts';
import { useSeenTracking } from './useSeenTracking.ts';

const emptyItems: never[] = [];

/** The height a message's files take: image boxes are known from their sizes, cards are one line. */
function filesHeight(m: MessageView): number {
  const images = (m.files ?? []).filter((f) => f.kind === 'image');
  const cards = (m.files?.length ?? 0) - images.length + (m.status === 'sent' ? 0 : (m.uploads?.length ?? 0));
  return images.reduce((h, f) => h + fitImage(f.width, f.height).height + 6, 0) + cards * 62;
}

function estimate(row: ListRow): number {
  switch (row.kind) {
    case 'top':
      return 40;
    case 'day':
      return 44;
    case 'unread':
      return 32;
    case 'message': {
      const m = row.message;
      if (m.kind === 'system') return 30;
      if (m.deleted) return (row.groupStart ? 30 : 4) + 38;
      const lines = m.text.split('\n').reduce((n, line) => n + 1 + Math.floor(line.length / 70), 0);
      return (
        (row.groupStart ? 30 : 4) +
        22 +
        lines * 21 +
        (m.attachments?.length ?? 0) * 110 +
        // A block card: its frame, and about two lines a block (a header, a section, a row of fields).
        (m.blocks?.length ? 20 + m.blocks.length * 42 : 0) +
        filesHeight(m) +
        (m.replyTo ? 48 : 0) +
        (m.forwarded ? 20 : 0) +
        (m.reactions?.length ? 32 : 0) +
        (m.status === 'failed' || m.changeError ? 30 : 0)
      );
    }
  }
}

/** The open conversation's messages: a virtualized list that loads older history on the way up. */
export function MessageList({ conversation }: { conversation: Conversation }): JSX.Element {
  const win = client.messages.value[conversation.id];
  const items = win?.items ?? emptyItems;
  const meId = client.me.value?.id ?? null;
  const divider = unreadDivider.value;
  const hasOlder = win?.hasOlder ?? true;
  // The divider goes in only once the message it follows is loaded: placed at the top of a
  // partial window it would claim that everything below is new when more may be above.
  const first = items.find((m) => m.status === 'sent');
  const afterSeq =
    divider?.conversationId === conversation.id && (!hasOlder || (first !== undefined && first.seq <= divider.afterSeq))
      ? divider.afterSeq
      : null;
  const loadingOlder = win ? win.loadingOlder : true;
  const [atBottom, setAtBottom] = useState(true);

  const rows = useMemo<ListRow[]>(() => {
    const state = loadingOlder ? 'loading' : hasOlder ? 'more' : items.length === 0 ? 'empty' : 'start';
    return [{ kind: 'top', key: 'top', state }, ...buildRows(items, afterSeq, meId)];
  }, [items, afterSeq, meId, hasOlder, loadingOlder]);

  const jump = useJump(conversation.id, rows);
  useRovingKey(rows);
  // Another conversation: its menu and focus memory do not carry over.
  useEffect(() => {
    openMessageMenu.value = null;
    focusedMessageKey.value = null;
  }, [conversation.id]);

  // Landing on the first unread, then reading: only what has been on screen counts as seen.
  const area = useRef<HTMLDivElement>(null);
  const landed = useLanding(
    area,
    conversation.id,
    divider?.conversationId === conversation.id ? divider.afterSeq : null,
    rows.some((r) => r.kind === 'unread'),
  );
  useSeenTracking({
    area,
    conversationId: conversation.id,
    readSeq: conversation.readSeq,
    enabled: landed && !!win,
    pageVisible: pageVisible.value,
    onSeen: (seq) => markSeen(conversation.id, seq),
  });
  const hasNewer = win?.hasNewer ?? false;
  useNewerPages(area, hasNewer && landed && !win?.loadingNewer ? () => void loadNewer(conversation.id) : undefined, [
    items,
  ]);

  const canLoad = !!win && hasOlder && !loadingOlder;
  return (
    <div class={hasNewer ? 'message-area has-newer' : 'message-area'} ref={area}>
      <VirtualList
        items={rows}
        keyOf={(row) => row.key}
        estimate={estimate}
        renderItem={(row) => <MessageRow row={row} />}
        resetKey={jump ? `${conversation.id}:${jump.nonce}` : conversation.id}
        initialKey={jump ? jump.key : divider?.conversationId === conversation.id ? 'unread' : null}
        onNearTop={canLoad ? () => void loadOlder(conversation.id) : undefined}
        bottomRequest={bottomRequest.value}
        onAtBottomChange={setAtBottom}
        headRows={1}
        canAnchor={(row) => row.kind === 'message'}
        class="messages"
        label={t('conversation.messages')}
      />
      {win?.loadingNewer && (
        <div class="loading-newer" role="status">
          {t('unread.loadingNewer')}
        </div>
      )}
      <UnreadButtons conversation={conversation} atBottom={atBottom} hasNewer={hasNewer} />
      <MessageMenu conversationId={conversation.id} />
      <DeleteDialog conversationId={conversation.id} />
    </div>
  );
}

/**
 * A jump to a message of this conversation (a reply's quote, a link), once the message is in the
 * rows: the list starts over showing it near the top (a new reset key, the message's row as the
 * initial one), and the message takes the focus. Kept while the request stands, so the list does
 * not start over again; a request for another conversation is dropped.
 */
function useJump(conversationId: number, rows: readonly ListRow[]): { nonce: number; key: string } | null {
  const applied = useRef<{ conversationId: number; nonce: number; key: string } | null>(null);
  const request = jumpRequest.value;
  if (request && request.conversationId === conversationId && applied.current?.nonce !== request.nonce) {
    const row = rows.find((r) => r.kind === 'message' && r.message.seq === request.seq);
    if (row) applied.current = { conversationId, nonce: request.nonce, key: row.key };
  }
  const current = applied.current;
  const active = current && request && current.nonce === request.nonce && current.conversationId === conversationId;
  useEffect(() => {
    if (request && request.conversationId !== conversationId) jumpRequest.value = null;
  }, [conversationId]);
  useEffect(() => {
    if (!active) return;
    // The row appears once the list has scrolled there (a frame or a few): then it takes the focus.
    let tries = 0;
    let frame = 0;
    const focus = () => {
      const row = document.querySelector<HTMLElement>(`.messages [data-message-row][data-seq="${request.seq}"]`);
      if (row) {
        focusedMessageKey.value = current.key;
        row.focus({ preventScroll: true });
      } else if (tries++ < 30) frame = requestAnimationFrame(focus);
    };
    frame = requestAnimationFrame(focus);
    return () => cancelAnimationFrame(frame);
  }, [active ? current.nonce : null]);
  return active ? { nonce: current.nonce, key: current.key } : null;
}

/** Keeps the list's one tab stop on the message last focused while it is loaded, else on the newest. */
function useRovingKey(rows: readonly ListRow[]): void {
  const focused = focusedMessageKey.value;
  let key: string | null = null;
  for (let i = rows.length - 1; i >= 0 && key === null; i--) {
    const row = rows[i]!;
    if (row.kind === 'message') key = row.key;
  }
  if (focused !== null && rows.some((r) => r.key === focused)) key = focused;
  useLayoutEffect(() => {
    rovingKey.value = key;
  }, [key]);
}
