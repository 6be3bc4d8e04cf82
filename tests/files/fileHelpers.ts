// Shared by the file tests: upload and fetch through the real hub's HTTP endpoints.
import type { FileRef } from '../../common/protocol/model.ts';
import { filePath, type FileVariant, uploadPath } from '../../common/protocol/fileUrls.ts';
import type { TestHub } from '../helpers/startHub.ts';

/** What an upload answered. */
export interface UploadAnswer {
  status: number;
  file?: FileRef;
  error?: { code: string; message: string };
}

/** Uploads bytes as one file with a bearer token. */
export async function upload(
  hub: TestHub,
  token: string,
  name: string,
  bytes: Uint8Array | string,
  type = 'application/octet-stream',
): Promise<UploadAnswer> {
  const res = await fetch(hub.url + uploadPath(name), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': type },
    body: typeof bytes === 'string' ? bytes : Buffer.from(bytes),
  });
  const body = (await res.json()) as { file?: FileRef; error?: { code: string; message: string } };
  return { status: res.status, ...body };
}

/** Fetches a file by bearer token or download key. */
export function download(
  hub: TestHub,
  fileId: string,
  auth: { token?: string; key?: string },
  variant: FileVariant = 'download',
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(hub.url + filePath(fileId, variant, auth.key), {
    headers: { ...(auth.token ? { authorization: `Bearer ${auth.token}` } : {}), ...headers },
  });
}

/** A client id for send frames. */
export function cid(tag: string): string {
  return `${tag}-${Math.random().toString(36).slice(2, 12)}`.padEnd(8, 'x');
}
