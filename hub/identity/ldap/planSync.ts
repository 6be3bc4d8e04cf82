import type { AccountRecord } from '../../store/AccountStore.ts';
import type { DirectoryLink } from '../../store/DirectoryLinkStore.ts';
import type { DirectoryPerson } from '../../store/IntegrationStore.ts';
import { checkEntry } from '../../ops/integrations/checkEntry.ts';
import type { LdapPerson } from './ldapPeople.ts';
import { normalizeDn } from './ldapPeople.ts';

/** A person to write (create, update, adopt), with the directory entry it is tied to. */
export interface PersonWrite {
  person: DirectoryPerson;
  directoryId: string;
  dn: string;
  /** What differs (`name`, `branch`, `disabled`, `linked`…); empty for a new account. */
  changes: string[];
}

/** One group's room: who goes in, who comes out (`exact` only), or that the room must be made. */
export interface RoomPlan {
  group: string;
  room: string;
  mode: 'add-only' | 'exact';
  /** The room does not exist: it is created (closed, managed by the hub) with `add` in it. */
  create: boolean;
  add: string[];
  remove: string[];
  /** The group was not found in the directory: the room is left as it is. */
  missingGroup: boolean;
}

/** What a sync does (or, in a dry run, would do). Logins throughout. */
export interface SyncPlan {
  create: PersonWrite[];
  update: PersonWrite[];
  /** Accounts of the directory whose entries are gone (or out of `userFilter`): disabled. */
  disableGone: { userId: number; login: string }[];
  skipped: { login: string; reason: string }[];
  rooms: RoomPlan[];
}

/** The sync's view of the hub: every account, its directory tie, and each mapped room's members. */
export interface HubSide {
  accounts: readonly AccountRecord[];
  links: readonly DirectoryLink[];
  /** By room name as configured: the member logins, or undefined when no such active room exists. */
  roomMembers: ReadonlyMap<string, readonly string[] | undefined>;
}

/** The directory's side: the people found and each mapped group's member DNs (undefined: no such group). */
export interface DirectorySide {
  people: readonly LdapPerson[];
  groups: readonly { group: string; room: string; mode: 'add-only' | 'exact'; members: Set<string> | undefined }[];
}

/**
 * Compares the directory with the hub and says what to change. Pure: the same inputs give the same
 * plan, so a dry run shows exactly what the real run does. Administrators and bots are never
 * created, changed, disabled or moved (a directory must not take over or lock out the people who
 * run the hub); `is_admin` is not part of any write.
 */
export function planSync(directory: DirectorySide, hub: HubSide): SyncPlan {
  const plan: SyncPlan = { create: [], update: [], disableGone: [], skipped: [], rooms: [] };
  const accountById = new Map(hub.accounts.map((a) => [a.id, a]));
  const linkById = new Map(hub.links.filter((l) => l.directoryId).map((l) => [l.directoryId!, l]));
  const linkByLogin = new Map(hub.links.map((l) => [l.login, l]));
  const seen = new Set<number>();
  /** Login of each directory DN whose account is (or will be) enabled and the sync's to manage. */
  const managedByDn = new Map<string, string>();

  for (const p of directory.people) {
    const entry = checked(p);
    if (typeof entry === 'string') {
      plan.skipped.push({ login: p.login, reason: entry });
      continue;
    }
    const byId = linkById.get(p.id);
    const link = byId ?? linkByLogin.get(entry.login);
    if (link) seen.add(link.userId);
    if (!link) {
      if (p.disabled) continue; // gone already: nobody to create
      plan.create.push({ person: entry, directoryId: p.id, dn: p.dn, changes: [] });
      managedByDn.set(normalizeDn(p.dn), entry.login);
      continue;
    }
    const why = refusal(link, p, entry.login, byId !== undefined);
    if (why) {
      plan.skipped.push({ login: link.login, reason: why });
      continue;
    }
    const account = accountById.get(link.userId)!;
    const changes = differences(account, link, entry, p);
    if (changes.length > 0) plan.update.push({ person: entry, directoryId: p.id, dn: p.dn, changes });
    if (!p.disabled) managedByDn.set(normalizeDn(p.dn), entry.login);
  }

  for (const link of hub.links) {
    if (link.authSource !== 'directory' || seen.has(link.userId) || link.disabled) continue;
    if (link.isAdmin || link.isBot) {
      plan.skipped.push({ login: link.login, reason: 'gone from the directory, but an administrator: left as is' });
      continue;
    }
    plan.disableGone.push({ userId: link.userId, login: link.login });
  }

  const directoryLogins = new Set(
    hub.links.filter((l) => l.authSource === 'directory' && !l.isAdmin && !l.isBot).map((l) => l.login),
  );
  for (const g of directory.groups) plan.rooms.push(planRoom(g, hub, managedByDn, directoryLogins));
  return plan;
}

function planRoom(
  g: DirectorySide['groups'][number],
  hub: HubSide,
  managedByDn: ReadonlyMap<string, string>,
  directoryLogins: ReadonlySet<string>,
): RoomPlan {
  const base = { group: g.group, room: g.room, mode: g.mode };
  if (!g.members) return { ...base, create: false, add: [], remove: [], missingGroup: true };
  const wanted = new Set([...g.members].flatMap((dn) => managedByDn.get(dn) ?? []));
  const current = hub.roomMembers.get(g.room);
  const have = new Set(current ?? []);
  const add = [...wanted].filter((login) => !have.has(login)).sort();
  // Only the directory's own people ever come out: local accounts, bots and administrators stay.
  const remove =
    g.mode === 'exact' ? [...have].filter((login) => !wanted.has(login) && directoryLogins.has(login)).sort() : [];
  return { ...base, create: current === undefined, add, remove, missingGroup: false };
}

/** Why the sync leaves this account alone, or undefined. */
function refusal(link: DirectoryLink, p: LdapPerson, login: string, byId: boolean): string | undefined {
  if (link.isBot) return 'a bot has this login: bots are managed with "bot" commands';
  if (link.isAdmin) return 'an administrator: directory sync never changes administrators (use the admin CLI)';
  if (byId && link.login !== login)
    return `renamed in the directory to "${login}": Beseda logins do not change, sign-in uses "${link.login}" no more`;
  if (!byId && link.directoryId !== null && link.directoryId !== p.id)
    return 'the login belongs to another directory entry (a re-used login): left as is';
  return undefined;
}

/** The fields that differ between the account and the entry, and `linked` when it is not yet tied. */
function differences(account: AccountRecord, link: DirectoryLink, entry: DirectoryPerson, p: LdapPerson): string[] {
  const changes: string[] = [];
  if (link.directoryId !== p.id || link.directoryDn !== p.dn) changes.push('linked');
  if (account.name !== entry.name) changes.push('name');
  if (account.email !== (entry.email ?? null)) changes.push('email');
  if (account.phone !== (entry.phone ?? null)) changes.push('phone');
  if (account.position !== (entry.position ?? null)) changes.push('position');
  if (account.branch !== (entry.branch ?? null)) changes.push('branch');
  if (account.disabled !== p.disabled) changes.push(p.disabled ? 'disabled' : 'enabled');
  return changes;
}

/**
 * The entry as a person the store may write, or why it cannot be one. A field the hub cannot take
 * (a phone written oddly in the directory) is left empty rather than keeping the person out.
 */
function checked(p: LdapPerson): DirectoryPerson | string {
  const base = { login: p.login, name: p.name, branch: p.branch, position: p.position, active: !p.disabled };
  let result = checkEntry({ ...base, email: p.email, phone: p.phone });
  if (!result.ok) result = checkEntry({ ...base, email: null, phone: null });
  if (!result.ok) return result.reasons.join('; ');
  const { login, name, branch, email, position, phone, active } = result.entry;
  return { login, name, branch, email, position, phone, active };
}
