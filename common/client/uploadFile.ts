import * as v from 'valibot';
import { ErrorCode } from '../protocol/errors.ts';
import { uploadPath } from '../protocol/fileUrls.ts';
import { FileRefSchema, type FileRef } from '../protocol/model.ts';
import type { FileUploader, UploadResponse } from './FileUploader.ts';
import { LocalErrorCode, RequestError } from './RequestError.ts';
import type { Timers } from './Timers.ts';

/** Where and as whom to upload. */
export interface UploadTarget {
  /** The hub's address (`HubUrls.base`). */
  base: string;
  token: string;
}

/** One file to upload. */
export interface UploadSource {
  name: string;
  type: string;
  bytes: Uint8Array;
}

/** An upload as the outbox sees it: the stored file, or a {@link RequestError} saying why not. */
export interface FileUpload {
  done: Promise<FileRef>;
  abort(): void;
}

/**
 * Uploads one file through the host's {@link FileUploader} and reads the hub's answer: the
 * stored file's reference, or a RequestError with the hub's error code (or one derived from the
 * status when the answer is not the hub's, e.g. a proxy's 413 page). No answer at all is
 * `disconnected`; no progress and no answer for `stallMs` is `timeout` (the upload is aborted).
 */
export function uploadFile(
  uploader: FileUploader,
  target: UploadTarget,
  file: UploadSource,
  onProgress: (loaded: number) => void,
  timers: Timers,
  stallMs: number,
): FileUpload {
  let stalled = false;
  let aborted = false;
  let timer: unknown = null;
  const watch = () => {
    if (timer !== null) timers.clearTimeout(timer);
    timer = timers.setTimeout(() => {
      stalled = true;
      task.abort();
    }, stallMs);
  };
  const task = uploader.start({
    url: target.base + uploadPath(file.name),
    token: target.token,
    type: file.type || 'application/octet-stream',
    bytes: file.bytes,
    onProgress: (loaded) => {
      watch();
      onProgress(loaded);
    },
  });
  watch();
  const done = task.done.then(
    (response) => {
      if (timer !== null) timers.clearTimeout(timer);
      return readAnswer(response);
    },
    (err: unknown) => {
      if (timer !== null) timers.clearTimeout(timer);
      if (stalled) throw new RequestError(LocalErrorCode.Timeout, 'the hub stopped taking the file');
      if (aborted) throw new RequestError(LocalErrorCode.Disconnected, 'the upload was cancelled');
      throw new RequestError(
        LocalErrorCode.Disconnected,
        `could not upload the file: ${(err as Error)?.message ?? 'network error'}`,
      );
    },
  );
  return {
    done,
    abort: () => {
      aborted = true;
      task.abort();
    },
  };
}

/** Status codes whose meaning holds even without the hub's JSON (a proxy in between). */
const statusCodes: Record<number, string> = {
  400: ErrorCode.BadRequest,
  401: ErrorCode.Unauthorized,
  403: ErrorCode.Forbidden,
  404: ErrorCode.NotFound,
  413: ErrorCode.FileTooLarge,
  429: ErrorCode.RateLimited,
  507: ErrorCode.StorageFull,
};

function readAnswer({ status, body }: UploadResponse): FileRef {
  if (status === 200 || status === 201) {
    const file = (body as { file?: unknown } | null)?.file;
    if (v.is(FileRefSchema, file)) return file;
    throw new RequestError(ErrorCode.Internal, 'the hub sent an unexpected answer to the upload');
  }
  const error = (body as { error?: { code?: unknown; message?: unknown; retryAfterMs?: unknown } } | null)?.error;
  let code = typeof error?.code === 'string' ? error.code : (statusCodes[status] ?? null);
  // Any other 5xx (a restarting hub, a proxy without its upstream) is worth trying again later.
  if (status >= 500 && status !== 507) code = ErrorCode.Unavailable;
  code ??= ErrorCode.Internal;
  const message =
    typeof error?.message === 'string'
      ? error.message
      : status === 404
        ? 'this hub does not accept files'
        : `the hub answered ${status} to the upload`;
  const retryAfterMs = typeof error?.retryAfterMs === 'number' ? error.retryAfterMs : undefined;
  throw new RequestError(code, message, retryAfterMs);
}
