import type {
  BranchRoomNamer,
  ExternalSyncOutcome,
  ExternalWrite,
  IntegrationStore,
  LoginNamer,
} from '../IntegrationStore.ts';
import { applyWrite, managedAccount, ManagedRefusal, noChanges } from './directoryWrites.ts';
import { integrationTx } from './integrationTx.ts';
import type { PgDatabase, PgQueryable } from './PgDatabase.ts';
import { accountRecord, findUserByExternalId, findUserByLogin, setExternalId } from './users.ts';

type Options = { newPasswordHash: string; namer: BranchRoomNamer; loginNamer: LoginNamer; now: number };

/** Tries of the login namer before giving up (a namer that never yields a free login is a bug). */
const maxAttempts = 10_000;

/**
 * The directory write addressed by external id (see IntegrationStore.syncByExternalId), one
 * transaction holding the writers' turn (integrationTx): the login is found free and taken inside
 * it, so two concurrent calls for namesakes cannot both take `ivanov.ii`; a writer outside it
 * taking it meanwhile fails our insert, and the whole write is run again (integrationTx).
 */
export function externalIdWrites(db: PgDatabase): Pick<IntegrationStore, 'syncByExternalId'> {
  const sync = (write: ExternalWrite, options: Options) =>
    integrationTx(db, async (q): Promise<ExternalSyncOutcome> => {
      const changes = await noChanges(q);
      let row = await findUserByExternalId(q, write.externalId);
      let linked = false;
      if (!row && write.login !== undefined) {
        const named = await findUserByLogin(q, write.login);
        if (named) {
          if (named.external_id !== null) return { kind: 'refused', reason: 'linked_elsewhere', login: named.login };
          const managed = managedAccount(named);
          if (managed) return { kind: 'refused', reason: managed, login: named.login };
          await setExternalId(q, named.id, write.externalId);
          row = named;
          linked = true;
        }
      }
      const login = row ? row.login : await freeLogin(q, options.loginNamer);
      const outcome = await applyWrite(
        q,
        0,
        { person: { ...write.person, login }, ...(write.passwordHash ? { passwordHash: write.passwordHash } : {}) },
        options,
        changes,
      );
      const after = (await findUserByLogin(q, login))!;
      if (!row) await setExternalId(q, after.id, write.externalId);
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
        return await sync(write, options);
      } catch (err) {
        // An account found by its external id that became an administrator or a bot since.
        if (err instanceof ManagedRefusal) {
          const login = (await findUserByExternalId(db, write.externalId))?.login ?? write.login ?? '';
          return { kind: 'refused', reason: err.reason, login };
        }
        throw err;
      }
    },
  };
}

/** The first login of the namer no account has (checked inside the caller's transaction). */
async function freeLogin(q: PgQueryable, namer: LoginNamer): Promise<string> {
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const candidate = namer(attempt);
    if (candidate !== null && !(await findUserByLogin(q, candidate))) return candidate;
  }
  throw new Error(`no free login after ${maxAttempts} tries`);
}
