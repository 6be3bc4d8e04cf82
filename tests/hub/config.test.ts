import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../hub/config/loadConfig.ts';
import { commandTable } from '../../hub/cli/commandTable.ts';
import { parseCommandLine } from '../../hub/cli/parseCommandLine.ts';

describe('hub configuration', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'beseda-config-'));
  const file = path.join(dir, 'hub.json');
  writeFileSync(file, JSON.stringify({ port: 9000, host: '127.0.0.1', allowedOrigins: ['https://a.example'] }));

  it('has production defaults', () => {
    const c = loadConfig({}, {});
    expect(c).toMatchObject({ port: 8080, dataDir: './data', scryptN: 2 ** 17, maxTextBytes: 16384 });
  });

  it('takes flags over environment over the config file over defaults', () => {
    expect(loadConfig({ config: file }, {}).port).toBe(9000);
    expect(loadConfig({ config: file }, { BESEDA_PORT: '9100' }).port).toBe(9100);
    expect(loadConfig({ config: file, port: '9200' }, { BESEDA_PORT: '9100' }).port).toBe(9200);
    expect(loadConfig({}, { BESEDA_CONFIG: file }).host).toBe('127.0.0.1');
    expect(loadConfig({ origin: ['https://b.example', 'https://c.example'] }, {}).allowedOrigins).toEqual([
      'https://b.example',
      'https://c.example',
    ]);
    expect(
      loadConfig({}, { BESEDA_ALLOWED_ORIGINS: 'https://x.example, https://y.example' }).allowedOrigins,
    ).toHaveLength(2);
  });

  it('reports mistakes as one clear line', () => {
    expect(() => loadConfig({ port: 'eighty' }, {})).toThrow(/port: "eighty" is not a number/);
    expect(() => loadConfig({ port: '70000' }, {})).toThrow(/invalid configuration: port/);
    expect(() => loadConfig({ 'tls-cert': '/x.pem' }, {})).toThrow(/both a certificate/);
    expect(() => loadConfig({ bogus: '1' }, {})).toThrow(/unknown option --bogus/);
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, '{"prot": 1}');
    expect(() => loadConfig({ config: bad }, {})).toThrow(/unknown setting "prot"/);
    expect(() => loadConfig({ config: path.join(dir, 'missing.json') }, {})).toThrow(/cannot read config file/);
  });

  it('parses flags, switches and repeated flags (util.parseArgs, strict)', () => {
    const a = parseCommandLine(commandTable, ['user', 'add', 'x', '--name', 'Имя Фамилия', '--admin', '--data=d']);
    expect(a).toMatchObject({
      kind: 'run',
      positionals: ['x'],
      values: { name: 'Имя Фамилия', admin: true, data: 'd' },
    });
    const s = parseCommandLine(commandTable, ['serve', '--origin=a', '--origin', 'b', '--text-x']);
    expect(s).toMatchObject({ kind: 'error', message: expect.stringMatching(/unknown option --text-x for "serve"/) });
    const origins = parseCommandLine(commandTable, ['serve', '--origin=a', '--origin', 'b']);
    expect(origins).toMatchObject({ kind: 'run', values: { origin: ['a', 'b'] } });
    expect(parseCommandLine(commandTable, ['serve', '--port'])).toMatchObject({
      kind: 'error',
      message: expect.stringMatching(/--port of "serve" needs a value/),
    });
  });
});
