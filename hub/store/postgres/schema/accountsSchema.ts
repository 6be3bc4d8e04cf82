/** The accounts area's tables (see pgMigrations.ts): a stub until its store is written. */
export const accountsSchema = `SELECT 1`;
