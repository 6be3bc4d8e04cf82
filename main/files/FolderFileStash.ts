import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { FileStash } from '../../common/client/FileStash.ts';

/** Local ids are the outbox's own (newClientId): nothing else may become a path. */
const idPattern = /^[A-Za-z0-9_-]{1,64}$/;
const tmpPrefix = '.tmp-';

/**
 * The outbox's files in the desktop app: one file per attachment in a folder of the app's own
 * data (`<userData>/outbox-files`), readable by this user only (0700 folder, 0600 files). Each
 * is written to a temporary name, flushed to disk and renamed, so a crash leaves either the whole
 * file or none (a half-written temporary is removed by `clear`, or ignored). The bytes are not
 * encrypted like the outbox text: OS secret stores encrypt strings, not 100 MB files; they are
 * deleted as soon as the hub has the message, and all of them on sign-out.
 */
export class FolderFileStash implements FileStash {
  private ready: Promise<void> | null = null;

  constructor(readonly dir: string) {}

  async put(localId: string, bytes: Uint8Array): Promise<void> {
    const target = this.pathOf(localId);
    await this.ensureDir();
    const tmp = path.join(this.dir, `${tmpPrefix}${randomBytes(9).toString('base64url')}`);
    const handle = await open(tmp, 'wx', 0o600);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } catch (err) {
      await handle.close().catch(() => undefined);
      await rm(tmp, { force: true });
      throw err;
    }
    await handle.close();
    await rename(tmp, target);
    await this.syncDir();
  }

  async get(localId: string): Promise<Uint8Array | null> {
    try {
      return new Uint8Array(await readFile(this.pathOf(localId)));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async delete(localId: string): Promise<void> {
    await rm(this.pathOf(localId), { force: true });
  }

  async list(): Promise<string[]> {
    return (await this.names()).filter((name) => idPattern.test(name));
  }

  async clear(): Promise<void> {
    for (const name of await this.names()) {
      if (idPattern.test(name) || name.startsWith(tmpPrefix)) await rm(path.join(this.dir, name), { force: true });
    }
  }

  private pathOf(localId: string): string {
    if (!idPattern.test(localId)) throw new Error('not an outbox file id');
    return path.join(this.dir, localId);
  }

  private async names(): Promise<string[]> {
    try {
      return await readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }

  private ensureDir(): Promise<void> {
    this.ready ??= mkdir(this.dir, { recursive: true, mode: 0o700 }).then(
      () => undefined,
      (err: unknown) => {
        this.ready = null;
        throw err;
      },
    );
    return this.ready;
  }

  /** The rename itself is durable only once the folder is flushed (POSIX; Windows cannot open folders). */
  private async syncDir(): Promise<void> {
    if (process.platform === 'win32') return;
    const handle = await open(this.dir, 'r').catch(() => null);
    if (!handle) return;
    await handle.sync().catch(() => undefined);
    await handle.close();
  }
}
