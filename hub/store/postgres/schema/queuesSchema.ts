/** The queues area's tables (see pgMigrations.ts): a stub until its store is written. */
export const queuesSchema = `SELECT 1`;
