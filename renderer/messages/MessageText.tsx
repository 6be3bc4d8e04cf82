import type { JSX } from 'preact';
import { useMemo } from 'preact/hooks';
import { neutraliseBidi } from '../../common/text/neutraliseBidi.ts';
import { openLink } from '../actions/messaging.ts';
import { t } from '../i18n/t.ts';
import { linkify } from '../text/linkify.ts';

/**
 * Message text as text nodes, with links and @mentions as elements around text nodes: nothing in
 * the text can become markup. Direction controls are made visible first (`⟨RLO⟩`, see
 * {@link neutraliseBidi}) and the text is isolated (`dir="auto"`), so it reads as it was typed
 * and cannot reorder what is around it. A link's title is the address that really opens (the
 * host in punycode); a host that mixes alphabets also shows its real name next to the link.
 */
export function MessageText({ text, myLogin }: { text: string; myLogin?: string | undefined }): JSX.Element {
  const tokens = useMemo(() => linkify(neutraliseBidi(text)), [text]);
  return (
    <div class="msg-text" dir="auto">
      {tokens.map((token, i) => {
        if (token.type === 'text') return token.text;
        if (token.type === 'mention') {
          const me = token.login === myLogin || token.login === 'all' || token.login === 'here';
          return (
            <span key={i} class={me ? 'mention mention-me' : 'mention'}>
              {token.text}
            </span>
          );
        }
        const link = (
          <a
            key={i}
            href={token.href}
            title={token.href}
            target="_blank"
            rel="noopener noreferrer"
            onClick={(e) => {
              e.preventDefault();
              openLink(token.href);
            }}
          >
            {token.text}
          </a>
        );
        if (!token.lookalike) return link;
        return (
          <span key={i} class="link-lookalike">
            {link}
            <span class="link-real-host">
              {' ('}
              {t('link.realHost', { host: token.host })}
              {')'}
            </span>
          </span>
        );
      })}
    </div>
  );
}
