import '../styles/profile.css';
import type { JSX } from 'preact';
import type { MessageView } from '../../common/client/ClientState.ts';
import { t } from '../i18n/t.ts';
import { client } from '../state/clientState.ts';

/** What the other person of a direct conversation has done with my message: read, received, or neither yet. */
export function receiptOf(message: MessageView): 'read' | 'delivered' | null {
  const me = client.me.value;
  if (!me || message.senderId !== me.id || message.status !== 'sent' || message.deleted || message.displayName)
    return null;
  const conversation = client.conversations.value[message.conversationId];
  // Absent when either person switched receipts off: then nothing is shown at all.
  if (conversation?.kind !== 'direct' || conversation.peerReceivedSeq === undefined) return null;
  if ((conversation.peerReadSeq ?? 0) >= message.seq) return 'read';
  if (conversation.peerReceivedSeq >= message.seq) return 'delivered';
  return null;
}

/**
 * ✓ (delivered to one of their devices) or ✓✓ (read) by the time of my message in a direct
 * conversation; an image with a spoken label («Доставлено», «Прочитано»), nothing when
 * receipts are off on either side.
 */
export function ReceiptMark({ message }: { message: MessageView }): JSX.Element | null {
  const receipt = receiptOf(message);
  if (!receipt) return null;
  const label = t(receipt === 'read' ? 'receipts.read' : 'receipts.delivered');
  return (
    <span class={`msg-receipt ${receipt}`} role="img" aria-label={label} title={label} data-receipt={receipt}>
      <svg width={receipt === 'read' ? 19 : 14} height="14" viewBox={receipt === 'read' ? '0 0 19 14' : '0 0 14 14'}>
        <path d="M1.5 7.5l3.5 3.5 7-8" />
        {receipt === 'read' && <path d="M8.5 10.5l.5.5 7.5-8.5" />}
      </svg>
    </span>
  );
}
