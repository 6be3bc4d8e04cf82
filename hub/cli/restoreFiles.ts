import { existsSync } from 'node:fs';
import { BlobStore } from '../files/BlobStore.ts';
import { printLine } from './cliText.ts';

/**
 * The file half of `beseda-hub restore`: adds the blobs saved in `BACKUP.files/` (each checked
 * against its SHA-256 while copied) to the hub's files folder, then checks that every blob the
 * restored database names is there. Blobs already present stay (identical by their name); ones
 * nothing names are left for the hub's sweep. Returns false, after saying which, when some are missing.
 */
export async function restoreFiles(backupFile: string, filesDir: string, needed: readonly string[]): Promise<boolean> {
  const source = `${backupFile}.files`;
  const blobs = new BlobStore(filesDir);
  await blobs.open();
  if (existsSync(source)) {
    const r = await blobs.restoreFrom(source);
    printLine(`Files: added ${r.added} from ${source} into ${filesDir} (${r.present} were there already).`);
    if (r.damaged.length > 0)
      printLine(`  ${r.damaged.length} damaged in the backup (their bytes do not match their name), skipped.`);
  } else if (needed.length > 0) printLine(`Files: no ${source} beside the backup.`);
  const missing: string[] = [];
  for (const sha of needed) if (!(await blobs.has(sha))) missing.push(sha);
  if (missing.length === 0) {
    if (needed.length > 0) printLine(`Files: all ${needed.length} files the backup refers to are in ${filesDir}.`);
    return true;
  }
  printLine(
    `WARNING: ${missing.length} of the ${needed.length} files the backup refers to are missing from ${filesDir}` +
      ` (they will answer 404); copy ${source} from where the backup was made and run restore again.`,
  );
  return false;
}
