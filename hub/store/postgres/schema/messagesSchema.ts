/** The messages area's tables (see pgMigrations.ts): a stub until its store is written. */
export const messagesSchema = `SELECT 1`;
