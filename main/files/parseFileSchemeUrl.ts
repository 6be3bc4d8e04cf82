import * as v from 'valibot';
import { fileScheme, fileSchemeHost } from '../../common/ipc/fileScheme.ts';
import type { FileVariant } from '../../common/protocol/fileUrls.ts';
import { FileIdSchema } from '../../common/protocol/model.ts';

/** What a `beseda-file://` address asks for. */
export interface FileSchemeTarget {
  fileId: string;
  variant: FileVariant;
}

const variants: readonly FileVariant[] = ['download', 'view', 'preview'];
const shape = new RegExp(`^${fileScheme}://${fileSchemeHost}/([^/?#]+)/([^/?#]+)$`);

/**
 * Reads `beseda-file://file/<id>/<variant>` exactly as `fileSchemeUrl` writes it, or null: a
 * file id (`f` + 22 base64url characters) and one of the three variants, nothing else — no other
 * host, port, credentials, query, fragment, percent-encoding, extra or empty segment. The address
 * comes from the page, which is not trusted to name anything but a file.
 */
export function parseFileSchemeUrl(url: string): FileSchemeTarget | null {
  const match = typeof url === 'string' ? shape.exec(url) : null;
  if (!match) return null;
  const [, fileId, variant] = match as unknown as [string, string, string];
  if (!v.is(FileIdSchema, fileId) || !variants.includes(variant as FileVariant)) return null;
  return { fileId, variant: variant as FileVariant };
}
