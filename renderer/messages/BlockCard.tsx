/** @jsxImportSource preact */
// The pragma repeats tsconfig for vitest, which compiles this file for the unit tests without it.
import '../styles/cards.css';
import type { JSX } from 'preact';
import type { Block } from '../../common/protocol/model.ts';
import { t } from '../i18n/t.ts';
import type { Flavour } from '../markdown/MarkdownNode.ts';
import { StrokeIcon } from '../ui/Icon.tsx';
import { UserText } from '../ui/UserText.tsx';
import { CardLink, cardHref } from './CardLink.tsx';
import { MessageText } from './MessageText.tsx';

// A picture frame with a hill and a sun: "this link is an image".
const imageIcon = ['M3.5 4.5h13v11h-13z', 'M3.5 13.5l4-4 3.5 3.5 2-2 3.5 3.5', 'M12.5 7a1 1 0 1 0 0 .1'];

/**
 * The Block Kit blocks of a message (webhooks, bots) as one structured card: a header as a
 * heading, a section's text and its fields in a two-column grid, context lines small and grey,
 * dividers, images and link buttons. Every text goes through the message formatter in the
 * message's own flavour (`flavour`), so it is text with formatting, never HTML. Images are never
 * loaded from the sender's server (that would tell it who reads the chat, and when): each is a
 * link named by its title or alt text. Links open only http(s) addresses, in the system browser.
 */
export function BlockCard({
  blocks,
  flavour,
  myLogin,
  nested = false,
}: {
  blocks: readonly Block[];
  flavour: Flavour;
  myLogin?: string | undefined;
  /** Inside an attachment card, whose frame and colour bar it shares. */
  nested?: boolean;
}): JSX.Element {
  return (
    <div class={nested ? 'block-card nested' : 'block-card'} data-blocks="">
      {blocks.map((block, i) => (
        <BlockView key={i} block={block} flavour={flavour} myLogin={myLogin} />
      ))}
    </div>
  );
}

function BlockView({
  block,
  flavour,
  myLogin,
}: {
  block: Block;
  flavour: Flavour;
  myLogin: string | undefined;
}): JSX.Element | null {
  switch (block.type) {
    case 'header':
      // Slack's header is plain text: shown as typed.
      return (
        <div class="blk-header" role="heading" aria-level={3} dir="auto">
          <UserText text={block.text} />
        </div>
      );
    case 'section':
      return (
        <div class={block.image ? 'blk-section with-image' : 'blk-section'}>
          <div class="blk-section-body">
            {block.text && <MessageText text={block.text} myLogin={myLogin} flavour={flavour} />}
            {block.fields && block.fields.length > 0 && (
              <div class="blk-fields">
                {block.fields.map((field, i) => (
                  <div key={i} class="blk-field">
                    <MessageText text={field} myLogin={myLogin} flavour={flavour} />
                  </div>
                ))}
              </div>
            )}
          </div>
          {block.image && <ImageLink url={block.image.url} name={block.image.alt} />}
        </div>
      );
    case 'context':
      return (
        <div class="blk-context">
          {block.elements.map((text, i) => (
            <MessageText key={i} text={text} myLogin={myLogin} flavour={flavour} />
          ))}
        </div>
      );
    case 'divider':
      return <hr class="blk-divider" />;
    case 'image':
      return (
        <div class="blk-image">
          <ImageLink url={block.url} name={block.title || block.alt} />
        </div>
      );
    case 'links':
      return (
        <div class="blk-links" role="group" aria-label={t('cards.links')}>
          {block.links.map((link, i) => {
            const href = cardHref(link.url);
            return href ? (
              <CardLink key={i} class="blk-button" href={href}>
                <UserText text={link.text} />
              </CardLink>
            ) : (
              <span key={i} class="blk-button disabled">
                <UserText text={link.text} />
              </span>
            );
          })}
        </div>
      );
    default:
      return null;
  }
}

/**
 * An image as a link (never loaded): a picture icon, its name (title or alt text, else the
 * address's host) and the host it is on. Exported for AttachmentCard's `imageUrl`.
 */
export function ImageLink({ url, name }: { url: string; name: string | undefined }): JSX.Element | null {
  const href = cardHref(url);
  if (!href) return null;
  const host = new URL(href).host;
  const shown = name?.trim() || host;
  return (
    <CardLink class="blk-image-link" href={href} label={t('cards.image', { name: shown })}>
      <StrokeIcon d={imageIcon} size={18} />
      <UserText text={shown} />
      {shown !== host && <span class="blk-image-host">{host}</span>}
    </CardLink>
  );
}
