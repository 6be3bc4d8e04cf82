import { authHeaders } from '../../common/client/cookieSession.ts';
import type { FileUploader, UploadRequest, UploadTask } from '../../common/client/FileUploader.ts';

/**
 * Uploads in the web client with XMLHttpRequest: unlike `fetch`, it reports upload progress.
 * Authorised by the Bearer token, or for a session in the hub's cookie by that cookie and the CSRF
 * header; the browser sets Content-Length.
 */
export class XhrFileUploader implements FileUploader {
  start(request: UploadRequest): UploadTask {
    const xhr = new XMLHttpRequest();
    const done = new Promise<{ status: number; body: unknown }>((resolve, reject) => {
      xhr.open('POST', request.url);
      xhr.withCredentials = false;
      // A session in the hub's cookie (issue 16): same-origin XHR sends the cookie; the header is the CSRF proof.
      for (const [name, value] of Object.entries(authHeaders(request.token))) xhr.setRequestHeader(name, value);
      xhr.setRequestHeader('Content-Type', request.type);
      xhr.upload.onprogress = (event) => request.onProgress(event.loaded);
      xhr.onload = () => {
        let body: unknown = null;
        try {
          body = JSON.parse(xhr.responseText) as unknown;
        } catch {
          // Not the hub's JSON (a proxy's page): the status alone says what happened.
        }
        resolve({ status: xhr.status, body });
      };
      xhr.onerror = () => reject(new Error('network error'));
      xhr.onabort = () => reject(new Error('the upload was aborted'));
      xhr.ontimeout = () => reject(new Error('the upload timed out'));
      // A Blob: the browser streams it from memory without another copy into a string or a buffer.
      xhr.send(new Blob([request.bytes as Uint8Array<ArrayBuffer>], { type: request.type }));
    });
    return { done, abort: () => xhr.abort() };
  }
}
