// Renders the formatter's element tree to an HTML string without a DOM (for the renderer's unit
// tests): function components are called with their props (the formatter's own ones use no
// hooks), elements are written with their attributes, text is escaped. It also records every
// element name and every event handler, so tests can check nothing outside the allowed set exists.
import './pageGlobals.ts';
import type { ComponentChildren, VNode } from 'preact';
import { neutraliseBidi } from '../../common/text/neutraliseBidi.ts';
import type { Flavour } from '../../renderer/markdown/MarkdownNode.ts';
import { parseMessage } from '../../renderer/markdown/parseMessage.ts';
import { renderBlocks } from '../../renderer/markdown/renderMarkdown.tsx';

/** What one message became. */
export interface Rendered {
  html: string;
  /** The text a reader sees (text nodes only, in order). */
  text: string;
  elements: Set<string>;
  /** Attribute names present, over all elements (handlers as `onClick`). */
  attributes: Set<string>;
  /** Every href given. */
  hrefs: string[];
}

const escape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Formats a message as MessageText does (bidi controls made visible, then parsed and built). */
export function renderMessage(text: string, flavour: Flavour = 'markdown', myLogin?: string): Rendered {
  const out: Rendered = { html: '', text: '', elements: new Set(), attributes: new Set(), hrefs: [] };
  const blocks = parseMessage(neutraliseBidi(text), flavour);
  out.html = walk(renderBlocks(blocks, { myLogin }), out);
  return out;
}

function walk(node: ComponentChildren, out: Rendered): string {
  if (node === null || node === undefined || typeof node === 'boolean') return '';
  if (typeof node === 'string' || typeof node === 'number' || typeof node === 'bigint') {
    out.text += String(node);
    return escape(String(node));
  }
  if (Array.isArray(node)) return node.map((child) => walk(child as ComponentChildren, out)).join('');
  const vnode = node as VNode<Record<string, unknown>>;
  if (typeof vnode.type === 'function') {
    return walk((vnode.type as (p: unknown) => ComponentChildren)(vnode.props), out);
  }
  const tag = String(vnode.type);
  out.elements.add(tag);
  let attrs = '';
  for (const [name, value] of Object.entries(vnode.props)) {
    if (name === 'children' || value === undefined || value === null || value === false) continue;
    out.attributes.add(name);
    if (typeof value === 'function') continue;
    if (name === 'href') out.hrefs.push(String(value));
    attrs += ` ${name}="${escape(String(value))}"`;
  }
  return `<${tag}${attrs}>${walk(vnode.props.children as ComponentChildren, out)}</${tag}>`;
}
