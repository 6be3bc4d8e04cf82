/**
 * Checks a hub address from a config file, the command line or a form: http(s) or ws(s), a
 * host, no credentials, no query or fragment. Returns it re-serialised by the URL parser (no
 * trailing slash), or null when it is not acceptable.
 */
export function normalizeHubUrl(input: unknown): string | null {
  if (typeof input !== 'string') return null;
  const text = input.trim();
  if (!text || text.length > 2048) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) return null;
  if (!url.hostname || url.username || url.password || url.search || url.hash) return null;
  return url.href.replace(/\/+$/, '');
}
