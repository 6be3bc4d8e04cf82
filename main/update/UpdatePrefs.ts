import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** What the updater keeps between starts: the install's random id and the person's install-on-quit choice. */
export interface UpdatePrefsData {
  /** 128 random bits, hex: the same install gets the same place in a staged rollout on every check. */
  installId: string;
  installOnQuit: boolean;
}

/**
 * `update.json` in the app's profile folder. A missing or damaged file starts afresh (a new id:
 * at worst this install moves to another place in a rollout), never stops the app.
 */
export class UpdatePrefs {
  private data: UpdatePrefsData;

  constructor(private readonly file: string) {
    this.data = UpdatePrefs.read(file) ?? { installId: randomBytes(16).toString('hex'), installOnQuit: true };
    this.save();
  }

  get installId(): string {
    return this.data.installId;
  }

  get installOnQuit(): boolean {
    return this.data.installOnQuit;
  }

  set installOnQuit(on: boolean) {
    this.data = { ...this.data, installOnQuit: on };
    this.save();
  }

  private static read(file: string): UpdatePrefsData | null {
    try {
      const json = JSON.parse(readFileSync(file, 'utf8')) as Partial<UpdatePrefsData>;
      if (typeof json.installId !== 'string' || !/^[0-9a-f]{32}$/.test(json.installId)) return null;
      return { installId: json.installId, installOnQuit: json.installOnQuit !== false };
    } catch {
      return null;
    }
  }

  private save(): void {
    try {
      mkdirSync(path.dirname(this.file), { recursive: true });
      const tmp = `${this.file}.tmp`;
      writeFileSync(tmp, JSON.stringify(this.data), { mode: 0o600 });
      renameSync(tmp, this.file);
    } catch {
      // A profile folder we cannot write: the id lives for this run only.
    }
  }
}
