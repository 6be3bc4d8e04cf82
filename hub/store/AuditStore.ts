/** Where an audited change came from: the admin CLI, the HTTP integration API, or the apps (WebSocket protocol). */
export type AuditSource = 'cli' | 'api' | 'app';

/** One audited change, as written. */
export interface AuditEntry {
  /** Milliseconds since the epoch. */
  at: number;
  /** `cli:<os user>`, a person's login, or `bot:<login>`. */
  actor: string;
  source: AuditSource;
  /** What was done: the admin command's name (`user.disable`) or the operation's (`room.rename`). */
  action: string;
  /** Whom or what it concerned (a login, `#room`, `hook 3`), if anything. */
  target: string | null;
  /** More about it, never a secret (a password, token, hook secret or CSV body). */
  detail: Record<string, unknown>;
}

/** A stored entry with its id (ids grow with time). */
export interface AuditRecord extends AuditEntry {
  id: number;
}

/** Which entries to list; every filter is optional. */
export interface AuditFilter {
  /** Entries at or after this time (ms since the epoch). */
  since?: number;
  /** Entries before this time. */
  until?: number;
  /** The actor exactly (`cli:root`, `ivanov`, `bot:erp`). */
  actor?: string;
  /** The action exactly, or every action under a prefix ending in a dot (`user.`). */
  action?: string;
  /** The target exactly. */
  target?: string;
  /** Entries with an id below this one: the next (older) page. */
  beforeId?: number;
  /** At most this many, newest first. */
  limit: number;
}

/** The audit log's storage: appended to, listed newest first; never changed. */
export interface AuditStore {
  record(entry: AuditEntry): Promise<number>;
  list(filter: AuditFilter): Promise<AuditRecord[]>;
}
