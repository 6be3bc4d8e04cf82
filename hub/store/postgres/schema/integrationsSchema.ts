/** The integrations area's tables (see pgMigrations.ts): a stub until its store is written. */
export const integrationsSchema = `SELECT 1`;
