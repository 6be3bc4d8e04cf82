// Embed links asked for by external id, built on --public-url (the address staff's browsers use),
// never on the Host header of the 1C server's own request; without the setting, as before.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../hub/config/loadConfig.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { addBot, http, runCli } from './integrationHelpers.ts';

let hub: TestHub;
let embed: string;
const externalId = randomUUID();

beforeAll(async () => {
  hub = await startHub({ args: ['--public-url', 'https://chat.corp.local/beseda/'] });
  embed = (await addBot(hub, 'onec-embed', { embed: true })).token;
  const directory = (await addBot(hub, 'onec-directory', { directory: true })).token;
  const put = await http(hub, 'PUT', `/api/v1/users/by-external-id/${externalId}`, {
    token: directory,
    json: { name: 'Фёдорова Ольга' },
  });
  expect(put.status, put.text).toBe(201);
});
afterAll(async () => {
  await hub.stop();
});

const createLink = (json: unknown, headers: Record<string, string> = {}) =>
  http(hub, 'POST', '/api/v1/embed-links', { token: embed, json, headers });

describe('embed links on --public-url', () => {
  it('builds the url on the public address, whatever Host the caller used', async () => {
    const link = await createLink({ externalId }, { host: '1c-server.internal:8080' });
    expect(link.status, link.text).toBe(201);
    expect(link.body.url).toMatch(/^https:\/\/chat\.corp\.local\/beseda\/embed\/[A-Za-z0-9_-]{43}$/);
    expect(link.body.path).toBe(`/embed/${link.body.url.split('/embed/')[1]}`);
    // The link works on the hub itself (the proxy in front maps the prefix).
    const opened = await http(hub, 'GET', link.body.path);
    expect(opened.status, opened.text).toBe(302);
  });

  it('names the person by externalId or by login, one of them; an unknown external id is 404', async () => {
    expect((await createLink({ login: 'fedorova.o' })).status).toBe(201);
    const both = await createLink({ login: 'fedorova.o', externalId });
    expect(both.status, both.text).toBe(400);
    const unknown = await createLink({ externalId: randomUUID() });
    expect(unknown.status, unknown.text).toBe(404);
  });
});

describe('user invite on publicUrl', () => {
  it('prints a whole link on the configured public address (environment or config file), --url still wins', async () => {
    await hub.addUser('sokolova', 'Соколова Ирина');
    process.env.BESEDA_PUBLIC_URL = 'https://chat.corp.local';
    try {
      const r = await runCli(['user', 'invite', 'sokolova', '--data', hub.dataDir]);
      expect(r.code, r.err).toBe(0);
      expect(r.out).toMatch(/^https:\/\/chat\.corp\.local\/invite\/[A-Za-z0-9_-]{43}$/m);
      const own = await runCli(['user', 'invite', 'sokolova', '--url', 'https://other.example', '--data', hub.dataDir]);
      expect(own.out).toMatch(/^https:\/\/other\.example\/invite\//m);
    } finally {
      delete process.env.BESEDA_PUBLIC_URL;
    }
  });
});

describe('without publicUrl', () => {
  it('links use the request Host, and a hub with an embed bot warns at start', async () => {
    const plain = await startHub();
    try {
      const token = (await addBot(plain, 'onec-embed', { embed: true })).token;
      await plain.addUser('ivanova', 'Иванова');
      const link = await http(plain, 'POST', '/api/v1/embed-links', { token, json: { login: 'ivanova' } });
      expect(link.body.url).toMatch(new RegExp(`^${plain.url}/embed/`));
      const warning = 'set --public-url';
      expect(plain.output.join('\n')).not.toContain(warning);
      await plain.stop();
      await plain.restart();
      await expect.poll(() => plain.output.join('\n'), { timeout: 20_000 }).toContain(warning);
      expect(hub.output.join('\n')).not.toContain(warning);
    } finally {
      await plain.stop();
    }
  });
});

describe('publicUrl setting', () => {
  it('is read from the flag, the environment and the config file, and must be an http(s) address', () => {
    expect(loadConfig({ 'public-url': 'https://chat.corp.local/' }, {}).publicUrl).toBe('https://chat.corp.local');
    expect(loadConfig({}, { BESEDA_PUBLIC_URL: 'http://10.0.0.5:8080' }).publicUrl).toBe('http://10.0.0.5:8080');
    expect(loadConfig({}, {}).publicUrl).toBeNull();
    expect(() => loadConfig({ 'public-url': 'chat.corp.local' }, {})).toThrow(/publicUrl/);
    expect(() => loadConfig({ 'public-url': 'https://chat.corp.local/?x=1' }, {})).toThrow(/publicUrl/);
  });
});
