import type { JSX } from 'preact';
import type { Conversation } from '../../common/protocol/model.ts';
import { t } from '../i18n/t.ts';
import { client } from '../state/clientState.ts';
import { conversationName } from '../state/selectors.ts';
import { Avatar } from '../ui/Avatar.tsx';
import { Icon } from '../ui/Icon.tsx';
import { personLabel } from '../ui/UserText.tsx';

/**
 * A conversation's mark: the person's avatar with presence for a direct conversation, otherwise
 * the general-room, open-room (#) or closed-room (lock) icon, labelled for screen readers.
 */
export function ConversationIcon({
  conversation,
  size = 'sm',
}: {
  conversation: Conversation;
  size?: 'sm' | 'md';
}): JSX.Element {
  if (conversation.kind === 'direct') {
    const peer = conversation.peerId !== null ? client.users.value[conversation.peerId] : undefined;
    return (
      <Avatar
        name={conversationName(conversation, client.users.value)}
        seed={conversation.peerId ?? conversation.id}
        size={size}
        presence={peer?.presence ?? 'offline'}
        title={peer ? personLabel(peer) : undefined}
      />
    );
  }
  const [icon, label] =
    conversation.kind === 'general'
      ? (['home', t('sidebar.generalRoom')] as const)
      : conversation.kind === 'closed'
        ? (['lock', t('sidebar.closedRoom')] as const)
        : (['hash', t('sidebar.openRoom')] as const);
  return (
    <span
      class={`room-icon room-icon-${size}`}
      role="img"
      aria-label={label}
      title={label}
      data-kind={conversation.kind}
    >
      <Icon name={icon} size={size === 'md' ? 20 : 16} />
    </span>
  );
}
