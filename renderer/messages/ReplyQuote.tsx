import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { ReplyQuote as Quote } from '../../common/protocol/model.ts';
import { jumpToMessage } from '../actions/messageLinks.ts';
import { t } from '../i18n/t.ts';
import { client } from '../state/clientState.ts';
import { fileUrl } from '../state/fileUrl.ts';
import { previewText } from '../text/previewText.ts';
import { UserText } from '../ui/UserText.tsx';

/** The author of a quoted message as shown (a bot's display name, else the user's name). */
export function quoteAuthor(quote: Quote): string {
  return quote.displayName ?? client.users.value[quote.senderId]?.name ?? t('user.unknown', { id: quote.senderId });
}

/** The quote's words: its text as one plain line, else what its files are. */
function quoteWords(quote: Quote): string {
  const text = previewText({ text: quote.text });
  if (text) return text;
  if (quote.image && (quote.fileCount ?? 1) <= 1) return t('msgActions.quoteImage');
  return quote.fileCount ? t('msgActions.quoteFiles', { n: quote.fileCount }) : '';
}

/** A small still of the quote's image (the hub's preview), when it has one and it loads. */
function Thumb({ quote }: { quote: Quote }): JSX.Element | null {
  const [failed, setFailed] = useState(false);
  const src = quote.image && !quote.deleted ? fileUrl(quote.image.id, 'preview') : null;
  if (!src || failed) return null;
  return (
    <img
      class="quote-thumb"
      src={src}
      alt=""
      width={36}
      height={36}
      draggable={false}
      onError={() => setFailed(true)}
    />
  );
}

/**
 * What a quote shows (in a reply and in the composer's bar): the author, the first lines of the
 * text as plain text (formatting marks dropped, nothing becomes markup), an image's thumbnail;
 * «Сообщение удалено» for a deleted original.
 */
export function QuoteBody({ quote }: { quote: Quote }): JSX.Element {
  return (
    <>
      <Thumb quote={quote} />
      <span class="quote-lines">
        <UserText class="quote-author" text={quoteAuthor(quote)} />
        {quote.deleted ? (
          <span class="quote-text deleted">{t('msgActions.deleted')}</span>
        ) : (
          <UserText class="quote-text" text={quoteWords(quote)} />
        )}
      </span>
    </>
  );
}

/**
 * The quote above a reply's text: a click (or Enter) brings the original into view, loading older
 * history as needed, and highlights it for a moment.
 */
export function ReplyQuote({ conversationId, quote }: { conversationId: number; quote: Quote }): JSX.Element {
  return (
    <button
      type="button"
      class="reply-quote"
      title={t('msgActions.quoteLabel')}
      data-reply-to={quote.seq}
      onClick={() => void jumpToMessage(conversationId, quote.seq)}
    >
      <QuoteBody quote={quote} />
    </button>
  );
}
