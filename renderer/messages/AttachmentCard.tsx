import type { JSX } from 'preact';
import type { Attachment } from '../../common/protocol/model.ts';
import { openLink } from '../actions/messaging.ts';
import { checkLink, isSafeExternalUrl } from '../text/linkify.ts';
import { UserText } from '../ui/UserText.tsx';
import { MessageText } from './MessageText.tsx';

const namedColors: Record<string, string> = { good: '#2e844a', warning: '#dd7a01', danger: '#ba0517' };

/** The colour bar of a card: a named colour or a #hex value; anything else gets the neutral bar. */
export function attachmentColor(color: string | undefined): string | undefined {
  if (!color) return undefined;
  if (color in namedColors) return namedColors[color];
  return /^#[0-9a-f]{3}([0-9a-f]{3})?$/i.test(color) ? color : undefined;
}

/**
 * A webhook attachment as a card: colour bar, author, title (a link if safe, its real address as
 * the hover hint), text, fields, footer — all text, isolated and with direction controls shown.
 * Its text and pretext are read as Slack `mrkdwn`: cards only come from webhooks.
 */
export function AttachmentCard({ attachment: a }: { attachment: Attachment }): JSX.Element {
  const color = attachmentColor(a.color);
  const link = a.titleLink && isSafeExternalUrl(a.titleLink) ? checkLink(a.titleLink)?.href : undefined;
  return (
    <div class="attachment" style={color ? { borderLeftColor: color } : undefined}>
      {a.pretext && <MessageText text={a.pretext} flavour="slack" />}
      {a.authorName && (
        <div class="att-author">
          <UserText text={a.authorName} />
        </div>
      )}
      {a.title &&
        (link ? (
          <a
            class="att-title"
            href={link}
            target="_blank"
            rel="noopener noreferrer"
            title={link}
            onClick={(e) => {
              e.preventDefault();
              openLink(link);
            }}
          >
            <UserText text={a.title} />
          </a>
        ) : (
          <div class="att-title">
            <UserText text={a.title} />
          </div>
        ))}
      {a.text && <MessageText text={a.text} flavour="slack" />}
      {a.fields && a.fields.length > 0 && (
        <dl class="att-fields">
          {a.fields.map((f, i) => (
            <div key={i} class={f.short ? 'att-field short' : 'att-field'}>
              <dt>
                <UserText text={f.title} />
              </dt>
              <dd>
                <UserText text={f.value} />
              </dd>
            </div>
          ))}
        </dl>
      )}
      {a.footer && (
        <div class="att-footer">
          <UserText text={a.footer} />
        </div>
      )}
    </div>
  );
}
