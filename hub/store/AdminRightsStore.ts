/** What setting an account's administrator right did. */
export type AdminRightOutcome = 'changed' | 'unchanged' | 'not_found' | 'bot' | 'last_admin';

/** Administrator rights of accounts (the web console's «Сделать администратором»). */
export interface AdminRightsStore {
  /**
   * Gives or takes an account's administrator right in one transaction. Refused for a bot, and
   * for taking it from the last enabled administrator (nobody could administer the hub then).
   */
  setAdmin(userId: number, isAdmin: boolean): Promise<AdminRightOutcome>;
}
