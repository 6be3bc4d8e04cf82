import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as v from 'valibot';
import { describeIssues } from '../../../common/protocol/clientFrame.ts';
import { ConfigError } from '../../config/loadConfig.ts';
import { parseDuration } from '../../config/parseDuration.ts';

const Text = v.pipe(v.string(), v.trim(), v.minLength(1));
const Attribute = v.pipe(v.string(), v.regex(/^[A-Za-z][A-Za-z0-9-]*$/, 'an LDAP attribute name'));
const Duration = v.pipe(
  v.union([v.string(), v.number()]),
  v.transform((value) => (typeof value === 'number' ? value : parseDuration(value))),
  v.number('a duration such as "30m", "6h" or 0 (off)'),
  v.minValue(0),
);

/** One group mapped to a room: `exact` also takes out people who left the group, `add-only` never does. */
const GroupRoom = v.strictObject({
  group: Text,
  room: Text,
  mode: v.optional(v.picklist(['add-only', 'exact']), 'add-only'),
});

/** The JSON of the `--directory FILE`, as IT writes it (see docs/operations.md). */
const SettingsFile = v.strictObject({
  url: v.pipe(Text, v.regex(/^ldaps?:\/\/[^/?#\s]+\/?$/i, 'ldap://HOST[:PORT] or ldaps://HOST[:PORT]')),
  startTls: v.optional(v.boolean(), false),
  /** Plain LDAP without TLS (passwords in the clear): only for a test lab, and only when said so. */
  allowPlain: v.optional(v.boolean(), false),
  caFile: v.optional(Text),
  bindDn: Text,
  bindPasswordFile: Text,
  baseDn: Text,
  userFilter: v.optional(Text, '(objectClass=person)'),
  loginAttribute: v.optional(Attribute, 'sAMAccountName'),
  /** The entry's stable id: `objectGUID` (Active Directory) or `entryUUID` (OpenLDAP, FreeIPA). */
  idAttribute: v.optional(Attribute, 'objectGUID'),
  upnSuffixes: v.optional(v.array(Text), []),
  netbiosDomain: v.optional(Text),
  attributes: v.optional(
    v.strictObject({
      name: v.optional(Attribute, 'displayName'),
      email: v.optional(Attribute, 'mail'),
      phone: v.optional(Attribute, 'telephoneNumber'),
      position: v.optional(Attribute, 'title'),
      /** An attribute, or `OU` for the organizational unit the entry is in. */
      branch: v.optional(Attribute, 'department'),
    }),
    {},
  ),
  disabledFilter: v.optional(Text),
  syncEvery: v.optional(Duration, 0),
  groupRooms: v.optional(v.array(GroupRoom), []),
  timeoutMs: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(500), v.maxValue(120_000)), 10_000),
});

/** The directory settings, checked, with the bind password and the CA certificate read. */
export interface DirectorySettings {
  url: string;
  startTls: boolean;
  allowPlain: boolean;
  /** The CA certificate(s) in PEM; undefined: the system's trusted CAs. */
  ca: Buffer | undefined;
  bindDn: string;
  bindPassword: string;
  baseDn: string;
  userFilter: string;
  loginAttribute: string;
  idAttribute: string;
  /** Lower-cased, without a leading `@`. */
  upnSuffixes: string[];
  /** Upper-cased NetBIOS name (`CORP` of `CORP\ivanov`); undefined: that form is refused. */
  netbiosDomain: string | undefined;
  attributes: { name: string; email: string; phone: string; position: string; branch: string };
  disabledFilter: string | undefined;
  /** Milliseconds between periodic syncs; 0: only on demand. */
  syncEveryMs: number;
  groupRooms: { group: string; room: string; mode: 'add-only' | 'exact' }[];
  timeoutMs: number;
}

/** A problem with the directory settings file, said in one line naming the file. */
export class DirectorySettingsError extends ConfigError {
  override name = 'DirectorySettingsError';
}

/** Reads and checks the `--directory` file (JSON) and the files it names (bind password, CA). */
export function loadDirectorySettings(file: string): DirectorySettings {
  const fail = (why: string) => new DirectorySettingsError(`directory settings ${file}: ${why}`);
  const base = path.dirname(path.resolve(file));
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw fail((err as Error).message);
  }
  const parsed = v.safeParse(SettingsFile, json);
  if (!parsed.success) throw fail(describeIssues(parsed.issues));
  const s = parsed.output;
  const secure = s.url.toLowerCase().startsWith('ldaps://') || s.startTls;
  if (!secure && !s.allowPlain)
    throw fail(
      'the url is plain ldap:// without "startTls": true — passwords would cross the network in the clear (use ldaps:// or StartTLS; "allowPlain": true only for a test lab)',
    );
  if (s.url.toLowerCase().startsWith('ldaps://') && s.startTls)
    throw fail('"startTls" is for ldap:// URLs; an ldaps:// connection is encrypted from the start');
  const readNamed = (name: string, what: string): Buffer => {
    try {
      return readFileSync(path.resolve(base, name));
    } catch (err) {
      throw fail(`cannot read the ${what} ${name}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  };
  const bindPassword = readNamed(s.bindPasswordFile, 'bindPasswordFile')
    .toString('utf8')
    .replace(/\r?\n$/, '');
  if (bindPassword === '') throw fail(`the bindPasswordFile ${s.bindPasswordFile} is empty`);
  // Each attribute has its default inside the schema (an absent `attributes` is parsed as {}).
  const attributes = s.attributes;
  return {
    url: s.url.replace(/\/$/, ''),
    startTls: s.startTls,
    allowPlain: s.allowPlain,
    ca: s.caFile === undefined ? undefined : readNamed(s.caFile, 'caFile'),
    bindDn: s.bindDn,
    bindPassword,
    baseDn: s.baseDn,
    userFilter: wrapFilter(s.userFilter),
    loginAttribute: s.loginAttribute,
    idAttribute: s.idAttribute,
    upnSuffixes: s.upnSuffixes.map((suffix) => suffix.replace(/^@/, '').toLowerCase()),
    netbiosDomain: s.netbiosDomain?.toUpperCase(),
    attributes,
    disabledFilter: s.disabledFilter === undefined ? undefined : wrapFilter(s.disabledFilter),
    syncEveryMs: s.syncEvery,
    groupRooms: s.groupRooms,
    timeoutMs: s.timeoutMs,
  };
}

/** A filter as IT may write it (`objectClass=user`) with the parentheses LDAP needs. */
function wrapFilter(filter: string): string {
  return filter.startsWith('(') ? filter : `(${filter})`;
}
