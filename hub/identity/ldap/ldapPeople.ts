import { type Client, type Entry, EqualityFilter } from 'ldapts';
import type { DirectorySettings } from './DirectorySettings.ts';

/** One person as the directory has them, before any checking. */
export interface LdapPerson {
  /** The entry's stable id (entryUUID, or objectGUID as a GUID string). */
  id: string;
  dn: string;
  /** The login attribute's value, lower-cased. */
  login: string;
  name: string;
  email: string | null;
  phone: string | null;
  position: string | null;
  branch: string | null;
  disabled: boolean;
}

/** The attributes a search asks for. */
function attributesOf(s: DirectorySettings): string[] {
  const { name, email, phone, position, branch } = s.attributes;
  const wanted = [s.loginAttribute, s.idAttribute, name, 'cn', email, phone, position];
  if (branch.toUpperCase() !== 'OU') wanted.push(branch);
  return wanted;
}

/** An equality filter with the value escaped (a typed login never becomes filter syntax). */
function equals(attribute: string, value: string): string {
  return new EqualityFilter({ attribute, value }).toString();
}

/** Every person `userFilter` finds under `baseDn`, with whether `disabledFilter` matches them. */
export async function readPeople(client: Client, s: DirectorySettings): Promise<LdapPerson[]> {
  const found = await search(client, s, s.userFilter, true);
  const disabled = s.disabledFilter ? await search(client, s, `(&${s.userFilter}${s.disabledFilter})`, true) : [];
  const disabledDns = new Set(disabled.map((e) => normalizeDn(e.dn)));
  return found.flatMap((e) => {
    const person = toPerson(e, s, disabledDns.has(normalizeDn(e.dn)));
    return person ? [person] : [];
  });
}

/** The person with this login (the login attribute, compared by the server), or undefined. */
export async function readPerson(client: Client, s: DirectorySettings, login: string): Promise<LdapPerson | undefined> {
  const filter = `(&${s.userFilter}${equals(s.loginAttribute, login)})`;
  const found = await search(client, s, filter, false);
  // Two entries with one login: nobody can tell which one is meant, so neither signs in.
  if (found.length !== 1) return undefined;
  let isDisabled = false;
  if (s.disabledFilter) isDisabled = (await search(client, s, `(&${filter}${s.disabledFilter})`, false)).length > 0;
  return toPerson(found[0]!, s, isDisabled);
}

/** The DNs of a group's direct members (`member` or `uniqueMember`), normalised; undefined if no such group. */
export async function readGroupMembers(client: Client, groupDn: string): Promise<Set<string> | undefined> {
  try {
    const { searchEntries } = await client.search(groupDn, {
      scope: 'base',
      filter: '(objectClass=*)',
      attributes: ['member', 'uniqueMember'],
    });
    const entry = searchEntries[0];
    if (!entry) return undefined;
    return new Set([...values(entry, 'member'), ...values(entry, 'uniqueMember')].map(normalizeDn));
  } catch (err) {
    if ((err as Error).name === 'NoSuchObjectError') return undefined;
    throw err;
  }
}

/** A DN compared loosely: lower case, no spaces around `,` and `=`. */
export function normalizeDn(dn: string): string {
  return dn
    .toLowerCase()
    .replace(/\s*([,=])\s*/g, '$1')
    .trim();
}

async function search(client: Client, s: DirectorySettings, filter: string, paged: boolean): Promise<Entry[]> {
  const binary = s.idAttribute.toLowerCase() === 'objectguid' ? [s.idAttribute] : [];
  const { searchEntries } = await client.search(s.baseDn, {
    scope: 'sub',
    filter,
    attributes: attributesOf(s),
    explicitBufferAttributes: binary,
    // Active Directory answers at most 1000 entries a page.
    ...(paged ? { paged: { pageSize: 500 } } : {}),
  });
  return searchEntries;
}

function toPerson(e: Entry, s: DirectorySettings, disabled: boolean): LdapPerson | undefined {
  const login = first(e, s.loginAttribute)?.toLowerCase();
  const id = idOf(e[s.idAttribute]);
  if (!login || !id) return undefined;
  const { name, email, phone, position, branch } = s.attributes;
  return {
    id,
    dn: e.dn,
    login,
    name: first(e, name) ?? first(e, 'cn') ?? login,
    email: first(e, email) ?? null,
    phone: first(e, phone) ?? null,
    position: first(e, position) ?? null,
    branch: branch.toUpperCase() === 'OU' ? ouOf(e.dn) : (first(e, branch) ?? null),
    disabled,
  };
}

/** The nearest organizational unit above the entry (`CN=…,OU=Kazan,OU=Staff,…` → `Kazan`); null if none. */
export function ouOf(dn: string): string | null {
  const match = /(?:^|,)\s*ou=((?:\\.|[^,\\])+)/i.exec(dn.slice(dn.indexOf(',')));
  return match ? match[1]!.replace(/\\(.)/g, '$1').trim() || null : null;
}

function values(e: Entry, attribute: string): string[] {
  const key = Object.keys(e).find((k) => k.toLowerCase() === attribute.toLowerCase());
  const value = key === undefined ? undefined : e[key];
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((v) => (Buffer.isBuffer(v) ? v.toString('utf8') : v)).filter((v) => v.trim() !== '');
}

function first(e: Entry, attribute: string): string | undefined {
  return values(e, attribute)[0]?.trim();
}

/** entryUUID as it is; objectGUID (16 bytes, the first three groups little-endian) as a GUID string. */
export function idOf(value: Entry[string] | undefined): string | undefined {
  const one = Array.isArray(value) ? value[0] : value;
  if (one === undefined) return undefined;
  if (!Buffer.isBuffer(one)) return one.trim().toLowerCase() || undefined;
  if (one.length !== 16) return one.toString('hex') || undefined;
  const hex = (b: Buffer) => b.toString('hex');
  const le = (start: number, end: number) => hex(Buffer.from(one.subarray(start, end)).reverse());
  return `${le(0, 4)}-${le(4, 6)}-${le(6, 8)}-${hex(one.subarray(8, 10))}-${hex(one.subarray(10, 16))}`;
}
