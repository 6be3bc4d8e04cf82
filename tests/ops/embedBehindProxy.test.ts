// An embed link made behind a reverse proxy that ends TLS (nginx → plain http to the hub) must be an
// https link: the one-time secret in it must never cross the network in the clear. The hub believes
// X-Forwarded-Proto only from a proxy it trusts (--trust-proxy).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { addBot, http } from '../integrations/integrationHelpers.ts';

let hub: TestHub;
let embedder: string;

beforeAll(async () => {
  // The test's requests come from 127.0.0.1, which is trusted here, as nginx on the same machine would be.
  hub = await startHub({ args: ['--trust-proxy', '127.0.0.1'] });
  embedder = (await addBot(hub, 'onec-web', { embed: true })).token;
  await hub.addUser('ivanov', 'Иван Иванов');
});
afterAll(async () => {
  await hub.stop();
});

const createLink = (headers: Record<string, string>) =>
  http(hub, 'POST', '/api/v1/embed-links', { token: embedder, json: { login: 'ivanov' }, headers });

describe('embed links behind a TLS-terminating proxy', () => {
  it('are https when the trusted proxy says the client came over https', async () => {
    const link = await createLink({ 'x-forwarded-proto': 'https' });
    expect(link.status, link.text).toBe(201);
    expect(link.body.url).toBe(`https://127.0.0.1:${hub.port}${link.body.path}`);
    expect(link.body.path).toMatch(/^\/embed\/[A-Za-z0-9_-]{43}$/);
  });

  it('stay http without the header (the hub itself speaks plain http)', async () => {
    const link = await createLink({});
    expect(link.status, link.text).toBe(201);
    expect(link.body.url).toBe(`http://127.0.0.1:${hub.port}${link.body.path}`);
  });
});

describe('from a peer that is not a trusted proxy', () => {
  let plain: TestHub;
  beforeAll(async () => {
    plain = await startHub();
  });
  afterAll(async () => {
    await plain.stop();
  });

  it('X-Forwarded-Proto is not believed', async () => {
    const token = (await addBot(plain, 'onec-web', { embed: true })).token;
    await plain.addUser('ivanov', 'Иван Иванов');
    const link = await http(plain, 'POST', '/api/v1/embed-links', {
      token,
      json: { login: 'ivanov' },
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(link.status, link.text).toBe(201);
    expect(link.body.url).toMatch(/^http:\/\//);
  });
});
