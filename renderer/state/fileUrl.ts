import type { FileVariant } from '../../common/protocol/fileUrls.ts';
import { fileAddress } from '../backend/fileAddress.ts';
import { client } from './clientState.ts';

/**
 * The address of a file for an `<img>` or a link: on the web the hub's, with the session's
 * read-only key (an `<img>` or a link cannot send the session token); on the desktop the main
 * process's `beseda-file://` (renderer/backend/fileAddress.ts). Null before the hub is known.
 */
export function fileUrl(fileId: string, variant: FileVariant): string | null {
  return fileAddress(fileId, variant, { hubUrl: client.hubUrl.value, fileKey: client.fileKey.value });
}
