import type { FileVariant } from '../protocol/fileUrls.ts';

/**
 * The desktop app's scheme for the hub's files: the page (served from `app://beseda`) loads
 * `beseda-file://file/<id>/<variant>`, and the main process fetches the file from the hub with the
 * session's token and streams the answer back. So the page never names the hub (its CSP allows
 * images from this scheme only), never holds a key, and an `http://` hub's images are not mixed
 * content in the secure page.
 */
export const fileScheme = 'beseda-file';

/** The one host under {@link fileScheme}. */
export const fileSchemeHost = 'file';

/** The scheme address of a file's representation (the desktop renderer's `<img src>`). */
export function fileSchemeUrl(fileId: string, variant: FileVariant): string {
  return `${fileScheme}://${fileSchemeHost}/${encodeURIComponent(fileId)}/${variant}`;
}
