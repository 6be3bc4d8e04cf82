/** The files area's tables (see pgMigrations.ts): a stub until its store is written. */
export const filesSchema = `SELECT 1`;
