import { describe, expect, it } from 'vitest';
import { idOf, normalizeDn, ouOf } from '../../hub/identity/ldap/ldapPeople.ts';
import { parseLoginName } from '../../hub/identity/ldap/parseLoginName.ts';

describe('directory login names and entry ids', () => {
  const settings = { netbiosDomain: 'CORP', upnSuffixes: ['corp.local', 'corp.ru'] };

  it('reads the three Windows forms to one lower-case login, and refuses other domains and suffixes', () => {
    for (const typed of ['ivanov', ' Ivanov ', 'CORP\\ivanov', 'corp\\IVANOV', 'ivanov@corp.local', 'Ivanov@CORP.RU'])
      expect(parseLoginName(typed, settings), typed).toEqual({ ok: true, name: 'ivanov' });
    expect(parseLoginName('OTHER\\ivanov', settings)).toMatchObject({ ok: false });
    expect(parseLoginName('ivanov@evil.example', settings)).toMatchObject({ ok: false });
    expect(parseLoginName('CORP\\', settings)).toMatchObject({ ok: false });
    expect(parseLoginName('CORP\\a\\b', settings)).toMatchObject({ ok: false });
    // Without a configured NetBIOS name or suffixes, those forms mean nothing.
    expect(parseLoginName('CORP\\ivanov', { netbiosDomain: undefined, upnSuffixes: [] })).toMatchObject({ ok: false });
    expect(parseLoginName('ivanov@corp.local', { netbiosDomain: undefined, upnSuffixes: [] })).toMatchObject({
      ok: false,
    });
  });

  it('turns an Active Directory objectGUID into its usual string (first three groups little-endian)', () => {
    // {3F2504E0-4F89-11D3-9A0C-0305E82C3301} as AD stores it.
    const bytes = Buffer.from('E004253F894FD3119A0C0305E82C3301', 'hex');
    expect(idOf(bytes)).toBe('3f2504e0-4f89-11d3-9a0c-0305e82c3301');
    expect(idOf('6153FA16-82BC-1041-8B8E-8DAC57EDF142')).toBe('6153fa16-82bc-1041-8b8e-8dac57edf142');
    expect(idOf(undefined)).toBeUndefined();
  });

  it('finds the OU an entry is directly in, escapes included, and compares DNs loosely', () => {
    expect(ouOf('CN=Иванов Иван,OU=Казань,OU=Staff,DC=corp,DC=local')).toBe('Казань');
    expect(ouOf('uid=x,ou=Sales\\, North,dc=corp')).toBe('Sales, North');
    expect(ouOf('CN=x,CN=Users,DC=corp,DC=local')).toBeNull();
    expect(normalizeDn('CN=Ivanov, OU=Staff ,DC=corp')).toBe('cn=ivanov,ou=staff,dc=corp');
  });
});
