/** @jsxImportSource preact */
// The pragma repeats tsconfig for vitest, which compiles this file for the unit tests without it.
import type { JSX } from 'preact';
import type { Attachment } from '../../common/protocol/model.ts';
import type { Flavour } from '../markdown/MarkdownNode.ts';
import { UserText } from '../ui/UserText.tsx';
import { BlockCard, ImageLink } from './BlockCard.tsx';
import { CardLink, cardHref } from './CardLink.tsx';
import { MessageText } from './MessageText.tsx';

const namedColors: Record<string, string> = { good: '#2e844a', warning: '#dd7a01', danger: '#ba0517' };

/** The colour bar of a card: a named colour or a #hex value; anything else gets the neutral bar. */
export function attachmentColor(color: string | undefined): string | undefined {
  if (!color) return undefined;
  if (color in namedColors) return namedColors[color];
  return /^#[0-9a-f]{3}([0-9a-f]{3})?$/i.test(color) ? color : undefined;
}

/**
 * A webhook attachment as a card: colour bar, author (a link if safe), title (a link if safe, its
 * real address as the hover hint), text, fields, its own Block Kit blocks, an image and a
 * thumbnail shown as links (never loaded), footer.
 * Pretext, text and field values are read in the message's flavour (`slack`, Slack's `mrkdwn`,
 * unless told otherwise: cards mostly come from webhooks); names and titles are plain text.
 */
export function AttachmentCard({
  attachment: a,
  flavour = 'slack',
  myLogin,
}: {
  attachment: Attachment;
  flavour?: Flavour | undefined;
  myLogin?: string | undefined;
}): JSX.Element {
  const color = attachmentColor(a.color);
  const link = cardHref(a.titleLink);
  const authorLink = cardHref(a.authorLink);
  return (
    <div class="attachment" style={color ? { borderLeftColor: color } : undefined}>
      {a.pretext && <MessageText text={a.pretext} flavour={flavour} />}
      {a.authorName && (
        <div class="att-author">
          {authorLink ? (
            <CardLink href={authorLink}>
              <UserText text={a.authorName} />
            </CardLink>
          ) : (
            <UserText text={a.authorName} />
          )}
        </div>
      )}
      {a.title &&
        (link ? (
          <CardLink class="att-title" href={link}>
            <UserText text={a.title} />
          </CardLink>
        ) : (
          <div class="att-title">
            <UserText text={a.title} />
          </div>
        ))}
      {a.text && <MessageText text={a.text} myLogin={myLogin} flavour={flavour} />}
      {a.fields && a.fields.length > 0 && (
        <dl class="att-fields">
          {a.fields.map((f, i) => (
            <div key={i} class={f.short ? 'att-field short' : 'att-field'}>
              <dt>
                <UserText text={f.title} />
              </dt>
              <dd>
                <MessageText text={f.value} flavour={flavour} />
              </dd>
            </div>
          ))}
        </dl>
      )}
      {a.blocks && a.blocks.length > 0 && <BlockCard blocks={a.blocks} flavour={flavour} myLogin={myLogin} nested />}
      {(a.imageUrl || a.thumbUrl) && (
        <div class="att-image">
          {a.imageUrl && <ImageLink url={a.imageUrl} name={a.title} />}
          {a.thumbUrl && <ImageLink url={a.thumbUrl} name={a.authorName} />}
        </div>
      )}
      {a.footer && (
        <div class="att-footer">
          <UserText text={a.footer} />
        </div>
      )}
    </div>
  );
}
