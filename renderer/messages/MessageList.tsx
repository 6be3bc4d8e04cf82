import type { JSX } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import type { MessageView } from '../../common/client/ClientState.ts';
import type { Conversation } from '../../common/protocol/model.ts';
import { loadOlder } from '../actions/messaging.ts';
import { t } from '../i18n/t.ts';
import { VirtualList } from '../list/VirtualList.tsx';
import { client } from '../state/clientState.ts';
import { bottomRequest, unreadDivider } from '../state/uiState.ts';
import { Icon } from '../ui/Icon.tsx';
import { buildRows } from './buildRows.ts';
import { fitImage } from './fitImage.ts';
import { MessageRow } from './MessageRow.tsx';
import type { ListRow } from './MessageRow.tsx';

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
      const lines = m.text.split('\n').reduce((n, line) => n + 1 + Math.floor(line.length / 70), 0);
      return (
        (row.groupStart ? 30 : 4) +
        22 +
        lines * 21 +
        (m.attachments?.length ?? 0) * 110 +
        filesHeight(m) +
        (m.status === 'failed' ? 30 : 0)
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

  const canLoad = !!win && hasOlder && !loadingOlder;
  return (
    <div class="message-area">
      <VirtualList
        items={rows}
        keyOf={(row) => row.key}
        estimate={estimate}
        renderItem={(row) => <MessageRow row={row} />}
        resetKey={conversation.id}
        initialKey={divider?.conversationId === conversation.id ? 'unread' : null}
        onNearTop={canLoad ? () => void loadOlder(conversation.id) : undefined}
        bottomRequest={bottomRequest.value}
        onAtBottomChange={setAtBottom}
        headRows={1}
        canAnchor={(row) => row.kind === 'message'}
        class="messages"
        label={t('conversation.messages')}
      />
      {!atBottom && (
        <button
          type="button"
          class="jump-bottom"
          aria-label={t('conversation.jumpToBottom')}
          title={t('conversation.jumpToBottom')}
          onClick={() => (bottomRequest.value += 1)}
        >
          <Icon name="arrowDown" />
          {conversation.unread > 0 && <span class="badge badge-mention">{conversation.unread}</span>}
        </button>
      )}
    </div>
  );
}
