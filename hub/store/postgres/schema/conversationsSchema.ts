/** The conversations area's tables (see pgMigrations.ts): a stub until its store is written. */
export const conversationsSchema = `SELECT 1`;
