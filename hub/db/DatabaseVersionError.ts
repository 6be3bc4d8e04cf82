/**
 * The database was written by a newer hub: its schema version is higher than any migration this
 * build knows. Running on it could corrupt data, so the hub refuses to start.
 */
export class DatabaseVersionError extends Error {
  constructor(
    readonly file: string,
    readonly found: number,
    readonly known: number,
  ) {
    super(
      `the database ${file} has schema version ${found}, but this hub only knows up to ${known}: ` +
        `it was written by a newer Beseda hub; install that version (or restore a backup) instead`,
    );
    this.name = 'DatabaseVersionError';
  }
}
