/** @jsxImportSource preact */
// The pragma repeats tsconfig for vitest, which compiles this file for the unit tests without it.
import type { JSX } from 'preact';
import { useMemo } from 'preact/hooks';
import { neutraliseBidi } from '../../common/text/neutraliseBidi.ts';
import { interceptMessageLink } from '../actions/messageLinks.ts';
import type { Flavour } from '../markdown/MarkdownNode.ts';
import { parseMessage } from '../markdown/parseMessage.ts';
import { renderBlocks } from '../markdown/renderMarkdown.tsx';

/**
 * Message text with its formatting (a safe Markdown subset; Slack's `mrkdwn` for what webhooks
 * post, `flavour="slack"`), built as elements around text nodes: nothing in the text can become
 * markup. Direction controls are made visible first (`⟨RLO⟩`, see {@link neutraliseBidi}) and the
 * text is isolated (`dir="auto"`), so it reads as it was typed and cannot reorder what is around
 * it. A link's title is the address that really opens (the host in punycode); a host that mixes
 * alphabets, or link words naming another address, also show the real host next to the link.
 * Text without formatting is shown exactly as typed, as one run of text. A link to a message of
 * this hub (`<hub>/#/c/<conversation>/m/<seq>`) opens that message here, not in a browser.
 */
export function MessageText({
  text,
  myLogin,
  flavour = 'markdown',
}: {
  text: string;
  myLogin?: string | undefined;
  flavour?: Flavour | undefined;
}): JSX.Element {
  const blocks = useMemo(() => parseMessage(neutraliseBidi(text), flavour), [text, flavour]);
  const plain = blocks.length === 1 && blocks[0]!.type === 'para';
  return (
    <div class={plain ? 'msg-text' : 'msg-text md-blocks'} dir="auto" onClickCapture={interceptMessageLink}>
      {renderBlocks(blocks, { myLogin })}
    </div>
  );
}
