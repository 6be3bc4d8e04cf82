/** One upload as the client core asks a host to make it: the raw bytes POSTed to the hub. */
export interface UploadRequest {
  /** The upload endpoint with the file's name: hub address + `uploadPath(name)` (common/protocol/fileUrls.ts). */
  url: string;
  /** The session token, sent as `Authorization: Bearer <token>`. */
  token: string;
  /** The request's Content-Type (`application/octet-stream` when the system did not know it). */
  type: string;
  /** The body; its length is the Content-Length. */
  bytes: Uint8Array;
  /** Bytes sent so far, as the transport reports them (throttling is the caller's business). */
  onProgress(loaded: number): void;
}

/** The hub's answer to an upload: the status and the JSON body (null when the body was not JSON). */
export interface UploadResponse {
  status: number;
  body: unknown;
}

/** An upload under way. */
export interface UploadTask {
  /** The hub's answer; rejects when no answer came (network error, or aborted). */
  done: Promise<UploadResponse>;
  /** Stops the upload at once (the hub then keeps nothing of it); `done` rejects. */
  abort(): void;
}

/**
 * Sends a file's bytes to the hub's upload endpoint with progress, and can abort it. The client
 * core decides what the answer means; a host implements only the transport (web:
 * XMLHttpRequest, whose upload progress `fetch` does not report; desktop: node:http/https).
 */
export interface FileUploader {
  start(request: UploadRequest): UploadTask;
}
