import { filePath } from '../../common/protocol/fileUrls.ts';
import type { FileVariant } from '../../common/protocol/fileUrls.ts';
import { client } from './clientState.ts';

/**
 * The address of a file on the hub: `hubUrl` + the endpoint's path with the session's read-only
 * key (an `<img>` or a link cannot send the session token). Null before the hub is known.
 */
export function fileUrl(fileId: string, variant: FileVariant): string | null {
  const hub = client.hubUrl.value;
  if (!hub) return null;
  return hub.replace(/\/+$/, '') + filePath(fileId, variant, client.fileKey.value ?? undefined);
}
