/**
 * How this page is shown, for the way links open (docs/embedding.md):
 * - `framed`: inside another page's frame (the 1C web client's HTML field is an iframe);
 * - `embedded`: the chat inside a 1C form — framed, or opened through an embed link (the hub's
 *   redirect lands on `?compact=1`), which is how the thin client's HTML field shows it, as the
 *   top document of the field.
 * Embedded, links are plain anchors: 1C's `ПриНажатии` handler sees the click with the anchor's
 * `href` and opens it itself (in the OS, or `ПерейтиПоНавигационнойСсылке`); a page-side
 * `window.open` would be blocked or would open inside the field.
 */
export interface EmbedMode {
  framed: boolean;
  embedded: boolean;
}

/** This page's {@link EmbedMode}; outside a browser (unit tests) neither. */
export function embedMode(): EmbedMode {
  if (typeof window === 'undefined' || typeof location === 'undefined') return { framed: false, embedded: false };
  let framed: boolean;
  try {
    framed = window.self !== window.top;
  } catch {
    // A cross-origin parent may refuse even the comparison in old engines: then we are framed.
    framed = true;
  }
  const compact = new URLSearchParams(location.search).get('compact') === '1';
  return { framed, embedded: framed || compact };
}
