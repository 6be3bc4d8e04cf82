/**
 * The database file is damaged (SQLite's `quick_check` failed, or the file is not a database at
 * all). Serving it would hand out wrong history and could spread the damage, so the hub and the
 * admin CLI refuse it and say how to restore a backup.
 */
export class DatabaseCorruptError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(
      `the database ${file} is damaged (${problems.slice(0, 3).join('; ')}${problems.length > 3 ? '; …' : ''}); ` +
        `the hub will not use it. Restore the latest backup with: beseda-hub restore BACKUP-FILE --data ${dataDirOf(file)}`,
    );
    this.name = 'DatabaseCorruptError';
  }
}

/** The folder of the database file, as IT would type it after --data. */
function dataDirOf(file: string): string {
  const cut = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return cut > 0 ? file.slice(0, cut) : '.';
}
