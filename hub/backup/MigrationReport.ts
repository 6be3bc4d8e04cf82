/** What opening the database did to its schema: logged once at start (the version, each migration). */
export interface MigrationReport {
  /** The database file (absolute). */
  file: string;
  /** There was no database: it was created at the newest version. */
  created: boolean;
  /** The schema version found (0 for a new database). */
  fromVersion: number;
  /** The schema version now. */
  toVersion: number;
  /** Each migration run at this opening, in order (empty: the schema was up to date). */
  applied: { version: number; name: string }[];
  /** The verified copy taken before migrating (null: nothing was migrated, or the database was new). */
  backupFile: string | null;
}
