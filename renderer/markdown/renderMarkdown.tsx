/** @jsxImportSource preact */
// The pragma repeats tsconfig for vitest, which compiles this file for the unit tests without it.
import type { ComponentChildren, JSX } from 'preact';
import { openOneCLink } from '../actions/openOneCLink.ts';
import { copyText } from '../actions/copyText.ts';
import { openLink } from '../actions/messaging.ts';
import { t } from '../i18n/t.ts';
import { embedMode } from '../web/embedMode.ts';
import { CodeBlock } from './CodeBlock.tsx';
import { MentionChip } from './MentionChip.tsx';
import type { Block, Inline } from './MarkdownNode.ts';

/** Who is reading: their own @mentions are highlighted. */
export interface RenderContext {
  myLogin?: string | undefined;
}

/**
 * Elements for parsed blocks (see parseMessage). Every piece of the text becomes a text node
 * inside an element chosen here from a fixed set (div, blockquote, ul/ol/li, pre/code, strong,
 * em, s, a, bdi, span, button); no text is ever read as markup, and links carry only addresses
 * checked on the way in. A single paragraph is returned as its bare pieces, so plain text is shown
 * as it was before formatting existed.
 */
export function renderBlocks(blocks: Block[], ctx: RenderContext): ComponentChildren {
  if (blocks.length === 1 && blocks[0]!.type === 'para') return renderInline(blocks[0]!.inline, ctx);
  return blocks.map((block, i) => renderBlock(block, i, ctx));
}

function renderBlock(block: Block, key: number, ctx: RenderContext): JSX.Element {
  switch (block.type) {
    case 'para':
      return (
        <div key={key} class="md-p">
          {renderInline(block.inline, ctx)}
        </div>
      );
    case 'code':
      return <CodeBlock key={key} lang={block.lang} text={block.text} />;
    case 'quote':
      return (
        <blockquote key={key} class="md-quote">
          {block.blocks.map((inner, i) => renderBlock(inner, i, ctx))}
        </blockquote>
      );
    case 'list': {
      const items = block.items.map((item, i) => (
        <li key={i} value={item.number ?? undefined}>
          {renderInline(item.inline, ctx)}
        </li>
      ));
      return block.ordered ? (
        <ol key={key} class="md-list">
          {items}
        </ol>
      ) : (
        <ul key={key} class="md-list">
          {items}
        </ul>
      );
    }
  }
}

/** Elements for inline nodes; text stays text nodes. */
export function renderInline(nodes: Inline[], ctx: RenderContext): ComponentChildren[] {
  return nodes.map((node, i) => renderNode(node, i, ctx));
}

function renderNode(node: Inline, key: number, ctx: RenderContext): ComponentChildren {
  switch (node.type) {
    case 'text':
      return node.text;
    case 'code':
      return (
        <code key={key} class="md-code-inline">
          {node.text}
        </code>
      );
    case 'strong':
      return <strong key={key}>{renderInline(node.children, ctx)}</strong>;
    case 'em':
      return <em key={key}>{renderInline(node.children, ctx)}</em>;
    case 'strike':
      return <s key={key}>{renderInline(node.children, ctx)}</s>;
    case 'mention':
      return <MentionChip key={key} text={node.text} login={node.login} myLogin={ctx.myLogin} />;
    case 'link':
      return <WebLink key={key} href={node.href} shown={node.lookalike ? node.host : null} text={node.text} />;
    case 'labelled': {
      const target = node.host || node.href.replace(/^mailto:/, '');
      return (
        <WebLink key={key} href={node.href} shown={node.misleading ? target : null} text={<bdi>{node.label}</bdi>} />
      );
    }
    case 'onec':
      return <OneCLink key={key} link={node.text} href={node.href} text={node.text} />;
    case 'labelled-onec':
      return <OneCLink key={key} link={node.link} href={node.href} text={<bdi>{node.label}</bdi>} />;
    case 'unc':
      return <NetworkPath key={key} path={node.text} />;
  }
}

/**
 * A web or mail link: its title is the address that really opens; when its words or its host
 * could pass for another address, the real host is written next to it. Embedded in a 1C form it
 * is a plain anchor with no handler (see embedMode): the form's `ПриНажатии` gets the click and
 * its `href` (already checked by linkify), and a browser frame opens a new tab by itself.
 */
function WebLink({ href, shown, text }: { href: string; shown: string | null; text: ComponentChildren }) {
  const link = (
    <a
      href={href}
      title={href}
      target="_blank"
      rel="noopener noreferrer"
      onClick={
        embedMode().embedded
          ? undefined
          : (e) => {
              e.preventDefault();
              openLink(href);
            }
      }
    >
      {text}
    </a>
  );
  if (shown === null) return link;
  return (
    <span class="link-lookalike">
      {link}
      <span class="link-real-host">
        {' ('}
        {t('link.realHost', { host: shown })}
        {')'}
      </span>
    </span>
  );
}

/**
 * A 1C link: opens 1C (see openOneCLink); a bare `e1cib/…` one has no address of its own to follow.
 * In a 1C form's HTML field of the thin client (embedded, not framed) it is a plain anchor whose
 * `href` is the link as written, for the form's `ПриНажатии` to open (docs/embedding.md).
 */
function OneCLink({ link, href, text }: { link: string; href: string | null; text: ComponentChildren }) {
  const mode = embedMode();
  if (mode.embedded && !mode.framed)
    return (
      <a class="link-1c" href={href ?? link} title={t('onec.open', { link })} target="_blank" rel="noopener noreferrer">
        {text}
      </a>
    );
  const open = (e: Event) => openOneCLink(link, href, e);
  return (
    <a
      class="link-1c"
      href={href ?? undefined}
      role={href ? undefined : 'link'}
      tabIndex={0}
      title={t('onec.open', { link })}
      onClick={open}
      onKeyDown={(e) => {
        if (e.key === 'Enter' && !href) open(e);
      }}
    >
      {text}
    </a>
  );
}

/** A `\\server\share\file` path: shown as typed, a click (or Enter) copies it; never a file: link. */
function NetworkPath({ path }: { path: string }) {
  const copy = () => void copyText(path, t('path.copied'));
  return (
    <span
      class="unc-path"
      role="button"
      tabIndex={0}
      title={t('path.copy')}
      onClick={copy}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          copy();
        }
      }}
    >
      {path}
    </span>
  );
}
