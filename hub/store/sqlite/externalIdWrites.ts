import type { Database } from 'better-sqlite3';
import type {
  BranchRoomNamer,
  ExternalSyncOutcome,
  ExternalWrite,
  IntegrationStore,
  LoginNamer,
} from '../IntegrationStore.ts';
import { applyWrite, managedAccount, ManagedRefusal, noChanges } from './directoryWrites.ts';
import { accountRecord, findUserByExternalId, findUserByLogin, setExternalId } from './users.ts';

type Options = { newPasswordHash: string; namer: BranchRoomNamer; loginNamer: LoginNamer; now: number };

/** Tries of the login namer before giving up (a namer that never yields a free login is a bug). */
const maxAttempts = 10_000;

/**
 * The directory write addressed by external id (see IntegrationStore.syncByExternalId), one
 * IMMEDIATE transaction: the login is found free and taken inside the same write lock, so two
 * concurrent calls for namesakes cannot both take `ivanov.ii`.
 */
export function externalIdWrites(db: Database): Pick<IntegrationStore, 'syncByExternalId'> {
  const sync = db.transaction((write: ExternalWrite, options: Options): ExternalSyncOutcome => {
    const changes = noChanges(db);
    let row = findUserByExternalId(db, write.externalId);
    let linked = false;
    if (!row && write.login !== undefined) {
      const named = findUserByLogin(db, write.login);
      if (named) {
        if (named.external_id !== null) return { kind: 'refused', reason: 'linked_elsewhere', login: named.login };
        const managed = managedAccount(named);
        if (managed) return { kind: 'refused', reason: managed, login: named.login };
        setExternalId(db, named.id, write.externalId);
        row = named;
        linked = true;
      }
    }
    const login = row ? row.login : freeLogin(db, options.loginNamer);
    const outcome = applyWrite(
      db,
      0,
      { person: { ...write.person, login }, ...(write.passwordHash ? { passwordHash: write.passwordHash } : {}) },
      options,
      changes,
    );
    const after = findUserByLogin(db, login)!;
    if (!row) setExternalId(db, after.id, write.externalId);
    return {
      kind: 'written',
      ...changes,
      account: accountRecord({ ...after, external_id: write.externalId }),
      // Linking an account is a change even when its fields were already as sent.
      outcome: linked && outcome === 'unchanged' ? 'updated' : outcome,
      linked,
    };
  });
  return {
    syncByExternalId: async (write, options) => {
      try {
        return sync.immediate(write, options);
      } catch (err) {
        // An account found by its external id that became an administrator or a bot since.
        if (err instanceof ManagedRefusal) {
          const login = findUserByExternalId(db, write.externalId)?.login ?? write.login ?? '';
          return { kind: 'refused', reason: err.reason, login };
        }
        throw err;
      }
    },
  };
}

/** The first login of the namer no account has (checked inside the caller's write transaction). */
function freeLogin(db: Database, namer: LoginNamer): string {
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const candidate = namer(attempt);
    if (candidate !== null && !findUserByLogin(db, candidate)) return candidate;
  }
  throw new Error(`no free login after ${maxAttempts} tries`);
}
