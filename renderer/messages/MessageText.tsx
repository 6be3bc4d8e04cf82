import type { JSX } from 'preact';
import { useMemo } from 'preact/hooks';
import { openLink } from '../actions/messaging.ts';
import { linkify } from '../text/linkify.ts';

/**
 * Message text as text nodes, with links and @mentions as elements around text nodes: nothing in
 * the text can become markup. Links open outside the app.
 */
export function MessageText({ text, myLogin }: { text: string; myLogin?: string | undefined }): JSX.Element {
  const tokens = useMemo(() => linkify(text), [text]);
  return (
    <div class="msg-text">
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
        return (
          <a
            key={i}
            href={token.href}
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
      })}
    </div>
  );
}
