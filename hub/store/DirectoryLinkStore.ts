/** Where an account's password is checked: the stored hash, or a bind to the directory. */
export type AuthSource = 'local' | 'directory';

/** An account's tie to the directory (LDAP / Active Directory), with the flags sync must respect. */
export interface DirectoryLink {
  userId: number;
  login: string;
  authSource: AuthSource;
  /** The entry's stable id (entryUUID / objectGUID); null for local accounts. */
  directoryId: string | null;
  directoryDn: string | null;
  isAdmin: boolean;
  isBot: boolean;
  disabled: boolean;
}

/** What {@link DirectoryLinkStore.link} did. */
export type LinkOutcome = 'linked' | 'no_account' | 'id_taken';

/**
 * Which accounts belong to the directory (migration 12). Directory sign-in and sync read and set
 * it; nothing here changes a password, a name or administrator rights.
 */
export interface DirectoryLinkStore {
  /** The account with this (normalised) login. */
  findByLogin(login: string): Promise<DirectoryLink | undefined>;
  /** Every account, by id (a few thousand at most: sync compares them with the directory). */
  list(): Promise<DirectoryLink[]>;
  /**
   * Makes the account the directory entry's: its password is checked by binding from now on.
   * `id_taken` when another account already has this directory id.
   */
  link(userId: number, directoryId: string, directoryDn: string): Promise<LinkOutcome>;
}
