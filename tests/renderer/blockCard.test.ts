// Block Kit cards (renderer/messages/BlockCard.tsx) and attachment cards as element trees, rendered
// to HTML without a DOM; message texts inside them through the real formatter (./renderMessage.ts);
// and the words that stand for a blocks-only or card-only message in previews and notifications.
import './pageGlobals.ts';
import type { ComponentChildren, VNode } from 'preact';
import { h } from 'preact';
import { beforeAll, describe, expect, it } from 'vitest';
import { emptyClientState } from '../../common/client/ClientState.ts';
import { messageText } from '../../common/client/messageText.ts';
import type { Attachment, Block } from '../../common/protocol/model.ts';
import { setLanguageSetting } from '../../renderer/i18n/language.ts';
import { markupFlavour } from '../../renderer/markdown/markupFlavour.ts';
import type { Flavour } from '../../renderer/markdown/MarkdownNode.ts';
import { AttachmentCard } from '../../renderer/messages/AttachmentCard.tsx';
import { BlockCard } from '../../renderer/messages/BlockCard.tsx';
import { cardHref } from '../../renderer/messages/CardLink.tsx';
import { MessageText } from '../../renderer/messages/MessageText.tsx';
import { notificationContent } from '../../renderer/notify/notificationContent.ts';
import { renderMessage } from './renderMessage.ts';

const escape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

interface Out {
  html: string;
  text: string;
  hrefs: string[];
  tags: Set<string>;
}

/** Walks the tree; MessageText (the one component with hooks) is rendered by the formatter itself. */
function walk(node: ComponentChildren, out: Out): string {
  if (node === null || node === undefined || typeof node === 'boolean') return '';
  if (typeof node === 'string' || typeof node === 'number' || typeof node === 'bigint') {
    out.text += String(node);
    return escape(String(node));
  }
  if (Array.isArray(node)) return node.map((child) => walk(child as ComponentChildren, out)).join('');
  const vnode = node as VNode<Record<string, unknown>>;
  if (vnode.type === MessageText) {
    const r = renderMessage(vnode.props.text as string, vnode.props.flavour as Flavour);
    out.text += r.text;
    out.hrefs.push(...r.hrefs);
    r.elements.forEach((e) => out.tags.add(e));
    return `<div class="msg-text">${r.html}</div>`;
  }
  if (typeof vnode.type === 'function')
    return walk((vnode.type as (p: unknown) => ComponentChildren)(vnode.props), out);
  const tag = String(vnode.type);
  out.tags.add(tag);
  let attrs = '';
  for (const [name, value] of Object.entries(vnode.props)) {
    if (name === 'children' || value === undefined || value === null || value === false || typeof value === 'function')
      continue;
    if (name === 'href') out.hrefs.push(String(value));
    attrs += ` ${name}="${escape(typeof value === 'object' ? JSON.stringify(value) : String(value))}"`;
  }
  return `<${tag}${attrs}>${walk(vnode.props.children as ComponentChildren, out)}</${tag}>`;
}

function render(node: ComponentChildren): Out {
  const out: Out = { html: '', text: '', hrefs: [], tags: new Set() };
  out.html = walk(node, out);
  return out;
}

const card = (blocks: Block[], flavour: Flavour = 'slack') => render(h(BlockCard, { blocks, flavour }));

beforeAll(() => setLanguageSetting('ru'));

describe('Block Kit card', () => {
  it('shows a header as a level-3 heading, as plain text', () => {
    const r = card([{ type: 'header', text: '*Alert* <b>HighCPU</b>' }]);
    expect(r.html).toContain(
      '<div class="blk-header" role="heading" aria-level="3" dir="auto"><bdi>*Alert* &lt;b&gt;HighCPU&lt;/b&gt;</bdi></div>',
    );
    expect(r.tags.has('b')).toBe(false);
  });

  it('formats section texts and fields with Slack mrkdwn and Mattermost Markdown alike', () => {
    const r = card([
      {
        type: 'section',
        text: '*Firing* **also bold** ~gone~ ~~gone too~~ _italic_ `code` <https://grafana.corp.ru/d/1|Dashboard>',
        fields: ['*Severity:*\ncritical', '**Instance:**\nweb-1:9100'],
      },
    ]);
    expect(r.html).toContain('<strong>Firing</strong>');
    expect(r.html).toContain('<strong>also bold</strong>');
    expect(r.html).toContain('<s>gone</s>');
    expect(r.html).toContain('<s>gone too</s>');
    expect(r.html).toContain('<em>italic</em>');
    expect(r.html).toContain('<code class="md-code-inline">code</code>');
    expect(r.hrefs).toEqual(['https://grafana.corp.ru/d/1']);
    expect(r.html).toContain('<div class="blk-fields"><div class="blk-field">');
    expect(r.html).toContain('<strong>Severity:</strong>\ncritical');
    expect(r.html).toContain('<strong>Instance:</strong>\nweb-1:9100');
    expect(r.text).not.toMatch(/[*~]|<https?:|\|Dashboard>/);
  });

  it('reads lists and quotes in block texts', () => {
    const r = card([{ type: 'section', text: 'Затронуты:\n- web-1\n- web-2\n> заметка дежурного' }]);
    expect(r.html).toContain('<ul class="md-list"><li>web-1</li><li>web-2</li></ul>');
    expect(r.html).toContain('<blockquote class="md-quote">');
  });

  it('reads block texts as Markdown for senders that are not hooks', () => {
    expect(card([{ type: 'section', text: '*курсив*' }], 'markdown').html).toContain('<em>курсив</em>');
  });

  it('shows context small, dividers as rules, images as links that are never loaded', () => {
    const r = card([
      { type: 'context', elements: ['Grafana v11', '*prod*'] },
      { type: 'divider' },
      { type: 'image', url: 'https://grafana.corp.ru/render/1.png', alt: 'CPU panel' },
      {
        type: 'section',
        text: 'С картинкой',
        image: { url: 'https://sentry.corp.ru/avatar.png', alt: '' },
      },
    ]);
    expect(r.html).toContain('<div class="blk-context">');
    expect(r.html).toContain('<strong>prod</strong>');
    expect(r.html).toContain('<hr class="blk-divider"></hr>');
    expect(r.tags.has('img')).toBe(false);
    expect(r.hrefs).toEqual(['https://grafana.corp.ru/render/1.png', 'https://sentry.corp.ru/avatar.png']);
    expect(r.html).toContain('aria-label="Изображение: CPU panel"');
    expect(r.html).toContain('<span class="blk-image-host">grafana.corp.ru</span>');
    // No alt text: the host names the link.
    expect(r.html).toContain('aria-label="Изображение: sentry.corp.ru"');
    setLanguageSetting('en');
    expect(card([{ type: 'image', url: 'https://a.ru/x.png', alt: 'x' }]).html).toContain('aria-label="Image: x"');
    setLanguageSetting('ru');
  });

  it('shows link buttons in a named group; an address the app does not open is no link', () => {
    const r = card([
      {
        type: 'links',
        links: [
          { text: 'Открыть в Jenkins', url: 'https://ci.corp.ru/job/7/' },
          { text: 'Чужой', url: 'https://user:pw@evil.example/' },
        ],
      },
    ]);
    expect(r.html).toContain('<div class="blk-links" role="group" aria-label="Ссылки">');
    expect(r.html).toContain(
      '<a class="blk-button" href="https://ci.corp.ru/job/7/" title="https://ci.corp.ru/job/7/" target="_blank" rel="noopener noreferrer"><bdi>Открыть в Jenkins</bdi></a>',
    );
    expect(r.html).toContain('<span class="blk-button disabled"><bdi>Чужой</bdi></span>');
    expect(r.hrefs).toEqual(['https://ci.corp.ru/job/7/']);
    expect(cardHref('javascript:alert(1)')).toBeNull();
    expect(cardHref('mailto:it@corp.ru')).toBeNull();
    expect(cardHref('HTTPS://Ci.Corp.RU/a b')).toBe('https://ci.corp.ru/a%20b');
  });
});

describe('flavour of forwarded hook messages', () => {
  it("reads a forward in its original author's dialect", () => {
    const hook = { isBot: true, login: 'hook-2' };
    const person = { isBot: false, login: 'ivanov' };
    const forwarded = { clientId: 'c-1', forwarded: { senderId: 9 } };
    expect(markupFlavour(forwarded, person, hook)).toBe('slack');
    expect(markupFlavour(forwarded, person, person)).toBe('markdown');
    expect(markupFlavour(forwarded, person, undefined)).toBe('markdown');
    expect(markupFlavour({ clientId: 'hook-x', forwarded: { senderId: 1 } }, hook, person)).toBe('markdown');
  });
});

describe('attachment card', () => {
  it('formats field values and shows an image and the author as links', () => {
    const a = {
      title: 'Build #7',
      titleLink: 'https://ci.corp.ru/7',
      authorName: 'Jenkins',
      authorLink: 'https://ci.corp.ru/',
      imageUrl: 'https://ci.corp.ru/badge.png',
      fields: [{ title: 'Status', value: '*FAILED* in ~3~ 4 min', short: true }],
      thumbUrl: 'https://ci.corp.ru/jenkins.png',
    } satisfies Attachment;
    const r = render(h(AttachmentCard, { attachment: a }));
    expect(r.html).toContain('<strong>FAILED</strong> in <s>3</s> 4 min');
    expect(r.hrefs).toEqual([
      'https://ci.corp.ru/',
      'https://ci.corp.ru/7',
      'https://ci.corp.ru/badge.png',
      'https://ci.corp.ru/jenkins.png',
    ]);
    expect(r.tags.has('img')).toBe(false);
    expect(r.html).toContain('aria-label="Изображение: Build #7"');
  });

  it("shows the card's own blocks inside its frame", () => {
    const r = render(
      h(AttachmentCard, {
        attachment: {
          color: '#e01e5a',
          blocks: [
            { type: 'header', text: 'Down' },
            { type: 'section', fields: ['*Monitor:* api'] },
          ],
        },
      }),
    );
    expect(r.html).toContain('<div class="block-card nested" data-blocks=""><div class="blk-header"');
    expect(r.html).toContain('<strong>Monitor:</strong> api');
  });
});

describe('preview and notification words', () => {
  const base = { text: '' };
  it('uses the header, else the first section or context text, as plain words', () => {
    expect(
      messageText({
        ...base,
        blocks: [
          { type: 'section', text: 'детали' },
          { type: 'header', text: '[FIRING:2] HighCPU' },
        ],
      }),
    ).toBe('[FIRING:2] HighCPU');
    expect(
      messageText({
        ...base,
        blocks: [{ type: 'divider' }, { type: 'section', text: '*Сборка упала*: <https://ci.corp.ru/7|#7>' }],
      }),
    ).toBe('Сборка упала: #7');
    expect(messageText({ ...base, blocks: [{ type: 'section', fields: ['*Статус:* упало'] }] })).toBe('Статус: упало');
    expect(messageText({ ...base, blocks: [{ type: 'context', elements: ['Uptime Kuma'] }] })).toBe('Uptime Kuma');
    // The text wins over blocks.
    expect(messageText({ text: 'текст', blocks: [{ type: 'header', text: 'заголовок' }] })).toBe('текст');
  });

  it('reads an attachment fallback without Slack markup, after blocks', () => {
    expect(messageText({ ...base, attachments: [{ fallback: '*Alert* <https://a.ru/1|Open>' }] })).toBe('Alert Open');
    expect(messageText({ ...base, blocks: [{ type: 'divider' }], attachments: [{ fallback: 'запасной текст' }] })).toBe(
      'запасной текст',
    );
  });

  it('gives a web notification of a Grafana-like card its words, not its markup', () => {
    const spec = notificationContent(
      {
        seq: 5,
        conversationId: 1,
        senderId: 2,
        clientId: 'hook-1',
        kind: 'text',
        text: '',
        ts: 0,
        mentions: [],
        mentionsAll: true,
        attachments: [{ fallback: '*[FIRING:1]* Disk almost full <https://grafana.corp.local/a|Open>' }],
      },
      'room',
      emptyClientState(),
      'ru',
    );
    expect(spec.body).toBe('[FIRING:1] Disk almost full Open');
  });
});
