import type { JSX } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Conversation, User } from '../../common/protocol/model.ts';
import { neutraliseBidi } from '../../common/text/neutraliseBidi.ts';
import { noteTyping, sendMessage } from '../actions/messaging.ts';
import { t } from '../i18n/t.ts';
import { client } from '../state/clientState.ts';
import { conversationName } from '../state/selectors.ts';
import { bottomRequest, dialog, draftFor } from '../state/uiState.ts';
import { Avatar } from '../ui/Avatar.tsx';
import { Icon } from '../ui/Icon.tsx';
import { UserText, personLabel } from '../ui/UserText.tsx';
import { insertMention, matchUsers, mentionAt } from '../text/mentions.ts';
import type { MentionQuery } from '../text/mentions.ts';

const maxHeight = 200;

function autosize(el: HTMLTextAreaElement): void {
  el.style.height = 'auto';
  el.style.height = `${Math.min(el.scrollHeight, maxHeight)}px`;
}

/** A suggestion for an @mention: a person, or everyone in the room. */
type Suggestion = { login: string; user: User | null };

function suggestionsFor(conversation: Conversation, query: MentionQuery | null): Suggestion[] {
  if (!query) return [];
  const me = client.me.value;
  const people = matchUsers(Object.values(client.users.value), query.query, me?.id ?? null).map((user) => ({
    login: user.login,
    user,
  }));
  const everyone = conversation.kind !== 'direct' && 'all'.startsWith(query.query.toLowerCase());
  return everyone ? [...people, { login: 'all', user: null }] : people;
}

/**
 * The message box: Enter sends, Shift+Enter starts a new line, pasting inserts plain text only,
 * "@" suggests people to mention, the draft is kept per conversation, and typing is reported to
 * the others.
 */
export function Composer({ conversation }: { conversation: Conversation }): JSX.Element {
  const draft = draftFor(conversation.id);
  const ref = useRef<HTMLTextAreaElement>(null);
  const name = neutraliseBidi(conversationName(conversation, client.users.value));
  const [mention, setMention] = useState<MentionQuery | null>(null);
  const [active, setActive] = useState(0);
  const suggestions = suggestionsFor(conversation, mention);
  const open = suggestions.length > 0;
  const chosen = Math.min(active, Math.max(0, suggestions.length - 1));

  useLayoutEffect(() => {
    if (ref.current) autosize(ref.current);
  }, [draft.value]);

  // Opening a conversation puts the cursor in its message box (unless a dialog has the focus).
  useEffect(() => {
    setMention(null);
    if (!dialog.value) ref.current?.focus({ preventScroll: true });
  }, [conversation.id]);

  if (conversation.archived) {
    return <div class="composer composer-disabled">{t('composer.archived')}</div>;
  }

  const send = () => {
    setMention(null);
    if (sendMessage(conversation.id, draft.value)) bottomRequest.value += 1;
  };

  const followCaret = (el: HTMLTextAreaElement) => {
    const next = el.selectionStart === el.selectionEnd ? mentionAt(el.value, el.selectionStart) : null;
    if (next?.start !== mention?.start) setActive(0);
    setMention(next);
  };

  const choose = (suggestion: Suggestion) => {
    const el = ref.current;
    if (!el || !mention) return;
    const result = insertMention(el.value, mention, suggestion.login);
    draft.value = result.text;
    el.value = result.text;
    el.setSelectionRange(result.caret, result.caret);
    setMention(null);
    el.focus();
  };

  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        send();
        ref.current?.focus();
      }}
    >
      {open && (
        <ul id="mention-list" class="mention-list" role="listbox" aria-label={t('composer.mentions')}>
          {suggestions.map((s, i) => (
            <li
              key={s.login}
              id={`mention-${s.login}`}
              role="option"
              aria-selected={i === chosen}
              class={i === chosen ? 'mention-option active' : 'mention-option'}
              title={s.user ? personLabel(s.user) : undefined}
              onMouseDown={(e) => {
                e.preventDefault();
                choose(s);
              }}
            >
              {s.user ? (
                <Avatar name={s.user.name} seed={s.user.id} size="sm" presence={s.user.presence} />
              ) : (
                <span class="room-icon" aria-hidden="true">
                  <Icon name="users" size={16} />
                </span>
              )}
              <span class="mention-name">{s.user ? <UserText text={s.user.name} /> : t('composer.mentionAll')}</span>
              <span class="mention-login">@{s.login}</span>
            </li>
          ))}
        </ul>
      )}
      <textarea
        ref={ref}
        rows={1}
        value={draft.value}
        aria-label={t('composer.label')}
        placeholder={t('composer.placeholder', { name })}
        aria-describedby="composer-hint"
        aria-autocomplete="list"
        aria-controls={open ? 'mention-list' : undefined}
        aria-activedescendant={open ? `mention-${suggestions[chosen]!.login}` : undefined}
        maxLength={65536}
        onInput={(e) => {
          draft.value = e.currentTarget.value;
          followCaret(e.currentTarget);
          if (e.currentTarget.value.trim()) noteTyping(conversation.id);
        }}
        onClick={(e) => followCaret(e.currentTarget)}
        onBlur={() => setMention(null)}
        onKeyDown={(e) => {
          if (open) {
            if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
              e.preventDefault();
              setActive((chosen + (e.key === 'ArrowDown' ? 1 : -1) + suggestions.length) % suggestions.length);
              return;
            }
            if ((e.key === 'Enter' && !e.shiftKey) || e.key === 'Tab') {
              e.preventDefault();
              choose(suggestions[chosen]!);
              return;
            }
            if (e.key === 'Escape') {
              e.preventDefault();
              e.stopPropagation();
              setMention(null);
              return;
            }
          }
          if (e.key === 'Enter' && !e.shiftKey && !e.ctrlKey && !e.altKey && !e.metaKey && !e.isComposing) {
            e.preventDefault();
            send();
          }
        }}
        onKeyUp={(e) => {
          if (e.key === 'ArrowLeft' || e.key === 'ArrowRight' || e.key === 'Home' || e.key === 'End') {
            followCaret(e.currentTarget);
          }
        }}
        onPaste={(e) => {
          // Only plain text gets in: no formatting, images or HTML from the clipboard.
          e.preventDefault();
          const text = e.clipboardData?.getData('text/plain') ?? '';
          if (!text) return;
          const el = e.currentTarget;
          el.setRangeText(text, el.selectionStart, el.selectionEnd, 'end');
          draft.value = el.value;
          noteTyping(conversation.id);
        }}
      />
      <button
        type="submit"
        class="send-button"
        aria-label={t('composer.send')}
        title={t('composer.send')}
        disabled={!draft.value.trim()}
      >
        <Icon name="send" />
      </button>
      <span id="composer-hint" class="visually-hidden">
        {t('composer.hint')}
      </span>
    </form>
  );
}
