import { filePath, type FileVariant } from '../../common/protocol/fileUrls.ts';

/** The signed-in hub and the session's token (the client core's `hubAccess()`). */
export interface HubAccess {
  /** The hub's canonical address, e.g. `https://hub.example.ru:8443` (no trailing slash). */
  base: string;
  token: string;
}

/** A request for a file on the hub, as the main process makes it. */
export interface HubFileRequest {
  url: string;
  headers: Record<string, string>;
}

/**
 * The hub address and headers for a file's representation: the session token as
 * `Authorization: Bearer` (never in the address, where logs and download lists would keep it).
 */
export function hubFileRequest(access: HubAccess, fileId: string, variant: FileVariant): HubFileRequest {
  return {
    url: access.base.replace(/\/+$/, '') + filePath(fileId, variant),
    headers: { authorization: `Bearer ${access.token}` },
  };
}
