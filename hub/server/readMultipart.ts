import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import type { FileRef } from '../../common/protocol/model.ts';
import type { UploadInput } from '../ops/HubFiles.ts';
import { HubError } from '../ops/HubError.ts';
import { mediaType } from './httpJson.ts';

/** Largest text field read (as the JSON body of the API). */
const maxFieldBytes = 64 * 1024;
/** Most text fields in one form: a message has five, a webhook one. */
const maxFields = 20;

/**
 * A `multipart/form-data` body read: its text fields and the files stored from its file parts, in
 * order (none when they were skipped).
 */
export interface MultipartForm {
  fields: ReadonlyMap<string, string>;
  files: FileRef[];
}

/** How {@link readMultipart} stores file parts. */
export interface MultipartOptions {
  /** Most file parts accepted (the hub's `maxFilesPerMessage`). */
  maxFiles: number;
  /** Stores one file part, its bytes streamed as they arrive (the hub's upload path, with its limits). */
  store(part: UploadInput): Promise<FileRef>;
  /**
   * Asked once, when the first file part begins, with the fields read so far: `skip` reads and
   * drops every file part (nothing is stored); a throw refuses the form before any upload.
   */
  beforeFiles?(fields: ReadonlyMap<string, string>): Promise<'store' | 'skip'>;
}

/** Thrown when the client went away before the whole form arrived: there is nobody to answer. */
export class FormAbortedError extends Error {
  override name = 'FormAbortedError';
}

/** Whether a request carries `multipart/form-data`. */
export function isMultipart(req: IncomingMessage): boolean {
  return mediaType(req) === 'multipart/form-data';
}

/**
 * Reads a `multipart/form-data` request: text fields are kept (UTF-8, up to 64 KiB each), each
 * file part is streamed into `store` as it arrives — never held whole in memory — one after the
 * other, as the parts come. The first failure (a stored part over a limit, a malformed form, too
 * many parts) stops reading and is thrown; parts stored before it stay unattached for the orphan
 * sweep. A client that goes away mid-body gives {@link FormAbortedError}.
 */
export function readMultipart(req: IncomingMessage, options: MultipartOptions): Promise<MultipartForm> {
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: req.headers,
      // curl and browsers write a Cyrillic file name as raw UTF-8 (`filename*=` is decoded too).
      defParamCharset: 'utf8',
      limits: {
        fieldSize: maxFieldBytes,
        fields: maxFields,
        files: options.maxFiles,
        parts: options.maxFiles + maxFields,
        headerPairs: 20,
      },
    });
  } catch (err) {
    throw new HubError('bad_request', `not a readable multipart/form-data body: ${(err as Error).message}`);
  }
  return new Promise((resolve, reject) => {
    const fields = new Map<string, string>();
    const stored: Promise<FileRef | null>[] = [];
    /** Whether file parts are stored (decided when the first one begins). */
    let storing: Promise<boolean> | null = null;
    let failed = false;
    const fail = (err: unknown): void => {
      if (failed) return;
      failed = true;
      // Stop reading (the connection closes after the answer, routeRequest) and end the part being
      // streamed; answer once the parts already started are settled, so none is recorded afterwards.
      req.unpipe(parser);
      parser.destroy();
      void Promise.allSettled(stored).then(() => reject(err));
    };
    parser.on('field', (name, value, info) => {
      if (failed) return;
      if (info.valueTruncated)
        return fail(new HubError('too_long', `the field "${name}" is longer than ${maxFieldBytes} bytes`));
      if (fields.has(name)) return fail(new HubError('bad_request', `the field "${name}" is given twice`));
      fields.set(name, value);
    });
    parser.on('file', (name, stream, info) => {
      // Destroying the form destroys its current part with an error: never an unhandled one.
      stream.on('error', () => {});
      // A browser form's empty file input: a part with an empty name and no bytes.
      if (failed || info.filename === '') {
        stream.resume();
        return;
      }
      if (info.filename === undefined) {
        stream.resume();
        return fail(
          new HubError('bad_request', `the file part "${name}" has no file name (curl: -F "${name}=@path/to/file")`),
        );
      }
      storing ??= options.beforeFiles
        ? options.beforeFiles(fields).then((answer) => answer === 'store')
        : Promise.resolve(true);
      const filename = info.filename;
      // Until the answer comes the part is not read, and busboy holds the request back.
      const upload = storing.then((store) => {
        if (!store || failed) {
          stream.resume();
          return null;
        }
        return options.store({
          name: filename,
          declaredType: info.mimeType,
          // The part's size is unknown until its boundary: the limit is enforced while streaming.
          length: null,
          body: partBytes(stream),
        });
      });
      stored.push(upload);
      upload.catch((err: unknown) => {
        if (!(err instanceof PartReadError)) return fail(err);
        fail(aborted(req) ? new FormAbortedError('the client went away') : malformed(err.reason));
      });
    });
    parser.on('filesLimit', () =>
      fail(new HubError('bad_request', `a message may carry ${options.maxFiles} files; this form has more`)),
    );
    parser.on('fieldsLimit', () => fail(new HubError('bad_request', `a form may have ${maxFields} text fields`)));
    parser.on('partsLimit', () => fail(new HubError('bad_request', 'the form has too many parts')));
    parser.on('error', (err: Error) =>
      fail(aborted(req) ? new FormAbortedError('the client went away') : malformed(err)),
    );
    parser.on('close', () => {
      if (failed) return;
      Promise.all(stored).then((files) => {
        if (!failed) resolve({ fields, files: files.filter((f) => f !== null) });
      }, fail);
    });
    // The part being streamed fails with the client's disconnection, so its temporary file goes.
    req.on('close', () => {
      if (!req.complete) parser.destroy(new Error('the client went away'));
    });
    req.pipe(parser);
  });
}

/** A file part's stream failed: the form or the connection broke, not the hub's disk. */
class PartReadError extends Error {
  constructor(readonly reason: Error) {
    super(reason.message);
  }
}

/** The part's bytes, its failures told apart from the store's own (a full disk is not a bad form). */
async function* partBytes(stream: Readable): AsyncIterable<Uint8Array> {
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } catch (err) {
    throw new PartReadError(err instanceof Error ? err : new Error(String(err)));
  }
}

function aborted(req: IncomingMessage): boolean {
  return !req.complete && (req.destroyed || req.socket.destroyed);
}

function malformed(err: Error): HubError {
  return new HubError('bad_request', `malformed multipart/form-data body: ${err.message}`);
}
