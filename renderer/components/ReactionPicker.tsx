import type { JSX, RefObject } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { MessageView } from '../../common/client/ClientState.ts';
import { closeReactionPicker, heldMessage, mayAddEmoji, toggleReaction } from '../actions/reactions.ts';
import { language } from '../i18n/language.ts';
import { t } from '../i18n/t.ts';
import type { MessageKey } from '../i18n/translate.ts';
import { client } from '../state/clientState.ts';
import { reactionPicker } from '../state/uiState.ts';
import { emojiCategories, searchEmoji } from '../text/emojiList.ts';
import type { EmojiEntry } from '../text/emojiList.ts';
import { Icon } from '../ui/Icon.tsx';
import { EmojiSections } from './EmojiSections.tsx';
import type { EmojiSection } from './EmojiSections.tsx';
import { gridMove } from './emojiGridNav.ts';

/** The reactions offered first, in this order. */
export const defaultReactions = ['👍', '❤️', '😂', '😮', '😢', '🙏', '✅', '👀'] as const;

/** Cells per row of the grid (the CSS grid has the same number of columns). */
const columns = 8;

const byEmoji = new Map(emojiCategories.flatMap((c) => c.entries.map((e) => [e.emoji, e] as const)));

const entryOf = (emoji: string): EmojiEntry => byEmoji.get(emoji) ?? { emoji, words: [] };

/**
 * The picker's sections: the search's results, or the default reactions and the categories; at
 * the hub's limit the message's own emoji (the only ones that can be added) come first.
 */
function sectionsFor(query: string, onMessage: readonly string[] | null): EmojiSection[] {
  if (query.trim()) {
    return [{ key: 'search', label: t('reactions.results'), entries: searchEmoji(query, defaultReactions) }];
  }
  const own = onMessage ? [{ key: 'own', label: t('reactions.onMessage'), entries: onMessage.map(entryOf) }] : [];
  return [
    ...own,
    { key: 'frequent', label: t('reactions.frequent'), entries: defaultReactions.map(entryOf) },
    ...emojiCategories.map((c) => ({
      key: c.id,
      label: t(`reactions.cat.${c.id}` as MessageKey),
      entries: c.entries,
    })),
  ];
}

/** Places the picker next to its anchor: below it when there is room, else above, inside the window. */
function place(panel: HTMLElement, anchor: HTMLElement): void {
  const a = anchor.getBoundingClientRect();
  const w = panel.offsetWidth;
  const h = panel.offsetHeight;
  const left = Math.min(Math.max(8, a.left), Math.max(8, innerWidth - w - 8));
  const below = a.bottom + 6;
  const above = a.top - 6 - h;
  const top = below + h <= innerHeight - 8 ? below : above >= 8 ? above : Math.max(8, innerHeight - h - 8);
  panel.style.left = `${Math.round(left)}px`;
  panel.style.top = `${Math.round(top)}px`;
}

/**
 * Keeps the picker next to its anchor while the page scrolls, and closes it (the focus left where
 * the user put it) on a click elsewhere or a window resize. `onOpen` runs once it is placed.
 */
function usePopover(panel: RefObject<HTMLElement>, anchor: HTMLElement, onOpen: () => void): void {
  useLayoutEffect(() => {
    place(panel.current!, anchor);
    onOpen();
    const onOutside = (e: MouseEvent) => {
      if (e.target instanceof Node && !panel.current?.contains(e.target)) closeReactionPicker(false);
    };
    const onResize = () => closeReactionPicker(false);
    const onScroll = (e: Event) => {
      if (!(e.target instanceof Node && panel.current?.contains(e.target))) place(panel.current!, anchor);
    };
    document.addEventListener('mousedown', onOutside, true);
    addEventListener('resize', onResize);
    document.addEventListener('scroll', onScroll, true);
    return () => {
      document.removeEventListener('mousedown', onOutside, true);
      removeEventListener('resize', onResize);
      document.removeEventListener('scroll', onScroll, true);
    };
  }, []);
}

/** The reaction picker, when one is open (state in `reactionPicker`). */
export function ReactionPicker(): JSX.Element | null {
  const open = reactionPicker.value;
  // Read so the picker follows the message (a reaction from someone else, a deletion).
  void client.messages.value;
  const message = open ? heldMessage(open.conversationId, open.seq) : undefined;
  useEffect(() => {
    if (open && (!message || message.deleted)) closeReactionPicker(false);
  }, [open, message]);
  if (!open || !message) return null;
  return <Picker key={`${open.conversationId}:${open.seq}`} message={message} anchor={open.anchor} />;
}

/**
 * The picker itself: a search field (Russian and English names), the default reactions, then the
 * emoji by category. Arrows move in the grid, Enter or Space chooses (and closes), typing goes to
 * the search, Esc closes and the focus returns to where the picker was opened from. With the
 * hub's limit of distinct emoji reached, only the message's existing emoji can be chosen.
 */
function Picker({ message, anchor }: { message: MessageView; anchor: HTMLElement }): JSX.Element {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const panel = useRef<HTMLDivElement>(null);
  const search = useRef<HTMLInputElement>(null);
  const grid = useRef<HTMLDivElement>(null);
  const lang = language.value;
  const limit = client.limits.value?.maxReactionsPerMessage ?? 20;
  const full = (message.reactions?.length ?? 0) >= limit;
  const own = full ? (message.reactions ?? []).map((r) => r.emoji).join(' ') : '';
  const sections = useMemo(() => sectionsFor(query, own ? own.split(' ') : null), [query, lang, own]);
  const cells = sections.flatMap((s) => s.entries);
  const current = Math.min(active, Math.max(0, cells.length - 1));

  usePopover(panel, anchor, () => search.current!.focus());

  const choose = (entry: EmojiEntry | undefined): void => {
    if (!entry || !mayAddEmoji(message, entry.emoji)) return;
    toggleReaction(message.conversationId, message.seq, entry.emoji);
    closeReactionPicker();
  };

  const focusCell = (index: number) => {
    setActive(index);
    const cell = grid.current?.querySelector<HTMLElement>(`[data-index="${index}"]`);
    cell?.focus();
    cell?.scrollIntoView({ block: 'nearest' });
  };

  const onPanelKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      closeReactionPicker();
    } else if (e.key === 'Tab') {
      // Two stops, the search and the grid's current cell; focus stays in the picker.
      e.preventDefault();
      if (document.activeElement === search.current && cells.length > 0) focusCell(current);
      else search.current?.focus();
    }
  };

  const onSearchKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown' && cells.length > 0) {
      e.preventDefault();
      focusCell(current);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      choose(cells[current]);
    }
  };

  const onGridKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      choose(cells[current]);
      return;
    }
    const next = gridMove(
      sections.map((s) => s.entries.length),
      columns,
      current,
      e.key,
    );
    if (next !== null) {
      e.preventDefault();
      if (e.key === 'ArrowUp' && next === current) search.current?.focus();
      else focusCell(next);
    } else if (e.key === 'Backspace' || (e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey)) {
      // Typing while in the grid searches: the key lands in the search field.
      search.current?.focus();
    }
  };

  return (
    <div
      ref={panel}
      class="reaction-picker"
      role="dialog"
      aria-label={t('reactions.picker')}
      onKeyDown={onPanelKey}
      data-reaction-picker=""
    >
      <label class="picker-search search-field">
        <Icon name="search" size={16} />
        <input
          ref={search}
          type="search"
          value={query}
          aria-label={t('reactions.search')}
          placeholder={t('reactions.search')}
          onInput={(e) => {
            setQuery(e.currentTarget.value);
            setActive(0);
          }}
          onKeyDown={onSearchKey}
        />
      </label>
      {full && (
        <p class="picker-note" role="note">
          {t('reactions.limit', { n: limit })}
        </p>
      )}
      <div ref={grid} class="picker-scroll" onKeyDown={onGridKey}>
        <EmojiSections
          sections={sections}
          message={message}
          current={current}
          lang={lang}
          onFocusCell={setActive}
          onChoose={choose}
        />
        {cells.length === 0 && <p class="picker-empty">{t('reactions.noMatch')}</p>}
      </div>
    </div>
  );
}
