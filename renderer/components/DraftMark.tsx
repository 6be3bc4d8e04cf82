import '../styles/profile.css';
import type { JSX } from 'preact';
import { t } from '../i18n/t.ts';
import { client } from '../state/clientState.ts';
import { UserText } from '../ui/UserText.tsx';

/** The unsent text of a conversation as the sidebar shows it: one line, or null when there is none. */
export function draftLine(conversationId: number): string | null {
  const text = client.drafts.value[conversationId];
  if (!text || !text.trim()) return null;
  return text.replace(/\s+/g, ' ').trim().slice(0, 120);
}

/**
 * «Черновик: …» under a conversation's name in the sidebar, while it has unsent text (not for the
 * open conversation: its text is in the composer in front of the user).
 */
export function DraftMark({ conversationId, active }: { conversationId: number; active: boolean }): JSX.Element | null {
  const line = draftLine(conversationId);
  if (!line || active) return null;
  return (
    <span class="conv-draft" data-draft="" aria-hidden="true">
      <span class="conv-draft-label">{t('drafts.mark')}</span> <UserText text={line} />
    </span>
  );
}
