// Desktop updates served by a real hub (issue 21): `release add` checks the installers against
// electron-builder's feed by size and sha512 (a corrupted copy is refused), keeps them private in
// the data folder, and the hub serves each install the feed it should get (staged rollout by
// percentage and branch, a build made for another branch never offered, IT's pin) and the files
// with Range and ETag; the sha512 in the feed is the sha512 of the bytes served, computed here.
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../integrations/integrationHelpers.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { fakeBuild, sha512 } from './releaseHelpers.ts';

// electron-updater's own YAML reader (js-yaml; it ships no types).
const { load } = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };

interface Feed {
  version: string;
  files?: { url: string; sha512: string; size: number }[];
}

describe('desktop releases on a real hub', () => {
  let hub: TestHub;
  let token: string;
  const release = (args: string[]) => runCli(['release', ...args, '--data', hub.dataDir]);
  const feed = async (query: Record<string, string>, platform = 'win', name = 'latest.yml') => {
    const res = await fetch(`${hub.url}/updates/stable/${platform}/${name}?${new URLSearchParams(query)}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    return load(await res.text()) as Feed;
  };
  const id = (n: number) => n.toString(16).padStart(32, '0');

  beforeAll(async () => {
    hub = await startHub();
    const ivan = await hub.addUser('ivan', 'Иван', { branch: 'kazan' });
    token = (await hub.login('ivan', ivan.password)).token;
  }, 120_000);
  afterAll(async () => {
    await hub?.stop();
  });

  it('refuses a build whose installer does not match its feed, keeping nothing', async () => {
    const bad = fakeBuild('1.0.5', 'kazan', { corrupt: true });
    const r = await release(['add', ...bad.paths, '--channel', 'stable']);
    expect(r.code, r.out + r.err).not.toBe(0);
    expect(r.err).toMatch(/sha512 is not the one in latest\.yml/);
    const truncated = fakeBuild('1.0.6', 'kazan');
    writeFileSync(truncated.paths[0]!, truncated.installer.bytes.subarray(0, 1000));
    const t = await release(['add', ...truncated.paths, '--channel', 'stable']);
    expect(t.err).toMatch(/is 1000 bytes, latest\.yml says 300000/);
    const noFeed = await release(['add', bad.paths[0]!, '--channel', 'stable']);
    expect(noFeed.err).toMatch(/no feed file/);
    expect((await release(['list'])).out).toMatch(/^0 releases$/m);
    expect(readdirSync(path.join(hub.dataDir, 'releases', 'incoming'))).toEqual([]);
  });

  it('adds a release, keeps only what the feed names, private to the hub user, and audits it', async () => {
    const build = fakeBuild('1.1.0', 'kazan');
    const r = await release(['add', ...build.paths, '--channel', 'stable']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('stable 1.1.0: everyone');
    expect(r.out).toMatch(/not kept \(named by no feed file\): Beseda-1\.1\.0-kazan-win-x64\.msi, builder-debug\.yml/);
    const releases = path.join(hub.dataDir, 'releases');
    const [buildDir] = readdirSync(path.join(releases, 'stable', '1.1.0'));
    const kept = path.join(releases, 'stable', '1.1.0', buildDir!);
    expect(readdirSync(kept).sort()).toEqual([build.installer.name, `${build.installer.name}.blockmap`, 'latest.yml']);
    for (const dir of [releases, path.join(releases, 'stable'), path.join(releases, 'stable', '1.1.0'), kept])
      expect(statSync(dir).mode & 0o777, dir).toBe(0o700);
    for (const file of readdirSync(kept)) expect(statSync(path.join(kept, file)).mode & 0o777, file).toBe(0o600);
    const audit = (await hub.admin_('audit.list', { action: 'release.add' })) as { entries: { target: string }[] };
    expect(audit.entries.map((e) => e.target)).toEqual(['stable 1.1.0']);
    // The same feed again: refused, the first one untouched.
    const again = await release(['add', ...fakeBuild('1.1.0', 'kazan').paths, '--channel', 'stable']);
    expect(again.err).toMatch(/already has latest\.yml/);
    expect(readdirSync(path.join(releases, 'stable', '1.1.0'))).toEqual([buildDir]);
  });

  it('serves the feed with the sha512 of the very bytes it serves, with Range and ETag', async () => {
    const got = await feed({ branch: 'kazan', id: id(1), version: '1.0.0' });
    expect(got.version).toBe('1.1.0');
    const entry = got.files![0]!;
    const url = `${hub.url}/updates/stable/win/${encodeURIComponent(entry.url)}?branch=kazan&id=${id(1)}`;
    const auth = { authorization: `Bearer ${token}` };
    const whole = await fetch(url, { headers: auth });
    expect(whole.status).toBe(200);
    const bytes = Buffer.from(await whole.arrayBuffer());
    expect(sha512(bytes)).toBe(entry.sha512);
    expect(bytes.length).toBe(entry.size);
    const etag = whole.headers.get('etag')!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    const part = await fetch(url, { headers: { ...auth, range: 'bytes=1000-1999' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 1000-1999/${bytes.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(1000, 2000))).toBe(true);
    expect((await fetch(url, { headers: { ...auth, 'if-none-match': etag } })).status).toBe(304);
    expect((await fetch(`${url}.blockmap`, { headers: auth })).status).toBe(200);
    // Nothing without a session; nothing outside the release.
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(`${hub.url}/updates/stable/win/latest.yml`)).status).toBe(401);
    expect((await fetch(`${hub.url}/updates/stable/win/..%2Fbeseda.db`, { headers: auth })).status).toBe(404);
    expect((await fetch(`${hub.url}/updates/stable/win/latest-linux.yml`, { headers: auth })).status).toBe(404);
  });

  it('stages a rollout by branch and by a share of installs, the same answer for an install every time', async () => {
    const next = fakeBuild('1.2.0', 'kazan');
    const add = await release(['add', ...next.paths, '--channel', 'stable', '--branches', 'spb']);
    expect(add.code, add.err).toBe(0);
    expect(add.out).toContain('stable 1.2.0: spb only');
    // A release built for any branch but offered to spb only: kazan stays on 1.1.0.
    expect((await feed({ branch: 'kazan', id: id(2), version: '1.1.0' })).version).toBe('1.1.0');
    expect((await feed({ branch: 'spb', id: id(2), version: '1.1.0' })).version).toBe('1.2.0');

    const widen = await release(['rollout', '1.2.0', '--channel', 'stable', '--rollout', '50']);
    expect(widen.out).toContain('stable 1.2.0: 50% + spb');
    const offered: boolean[] = [];
    for (let n = 0; n < 60; n++)
      offered.push((await feed({ branch: 'kazan', id: id(100 + n), version: '1.1.0' })).version === '1.2.0');
    const share = offered.filter(Boolean).length;
    expect(share).toBeGreaterThan(15);
    expect(share).toBeLessThan(45);
    for (let n = 0; n < 10; n++)
      expect((await feed({ branch: 'kazan', id: id(100 + n), version: '1.1.0' })).version === '1.2.0').toBe(offered[n]);
    // Stopped: nobody new gets it (spb is still listed).
    await release(['rollout', '1.2.0', '--channel', 'stable', '--rollout', '0', '--branches', 'none']);
    expect((await feed({ branch: 'spb', id: id(2), version: '1.1.0' })).version).toBe('1.1.0');
    await release(['rollout', '1.2.0', '--channel', 'stable', '--rollout', '100']);
  });

  it("never offers a build made for another branch, and honours IT's pin", async () => {
    const kazanOnly = fakeBuild('1.3.0', 'kazan');
    const add = await release(['add', ...kazanOnly.paths, '--channel', 'stable', '--built-for', 'kazan']);
    expect(add.code, add.err).toBe(0);
    expect((await feed({ branch: 'kazan', id: id(3), version: '1.2.0' })).version).toBe('1.3.0');
    expect((await feed({ branch: 'spb', id: id(3), version: '1.2.0' })).version).toBe('1.2.0');
    expect((await feed({ id: id(3), version: '1.2.0' })).version).toBe('1.2.0');
    // Pinned to an older version: offered that one (the app allows the downgrade when pinned).
    expect((await feed({ branch: 'kazan', id: id(3), version: '1.3.0', pin: '1.1.0' })).version).toBe('1.1.0');
    // Pinned to a version the hub does not have: the install is told its own version (stays).
    expect(await feed({ branch: 'kazan', id: id(3), version: '1.3.0', pin: '9.9.9' })).toEqual({
      version: '1.3.0',
      files: [],
    });
    // A Linux install asks its own feed: nothing for Linux here, so it stays.
    expect((await feed({ branch: 'kazan', id: id(3), version: '1.1.0' }, 'linux', 'latest-linux.yml')).version).toBe(
      '1.1.0',
    );
  });

  it('counts the versions in use from what installs report, and removes a release with its files', async () => {
    const status = (await hub.admin_('release.status', {})) as {
      versions: { version: string; platform: string; installs: number }[];
    };
    const counts = Object.fromEntries(status.versions.map((v) => [`${v.version} ${v.platform}`, v.installs]));
    // Each install counted once, as it last reported: id(2) and ids 100..159 run 1.1.0 on Windows,
    // id(3) last asked from Linux with 1.1.0, id(1) runs 1.0.0.
    expect(counts).toEqual({ '1.1.0 win': 61, '1.1.0 linux': 1, '1.0.0 win': 1 });
    const list = await release(['list', '--channel', 'stable']);
    expect(list.out.split('\n').filter((l) => /^stable /.test(l))).toEqual([
      'stable 1.3.0: everyone',
      'stable 1.2.0: everyone',
      'stable 1.1.0: everyone',
    ]);
    const removed = await release(['remove', '1.3.0', '--channel', 'stable']);
    expect(removed.code, removed.err).toBe(0);
    expect(readdirSync(path.join(hub.dataDir, 'releases', 'stable')).sort()).toEqual(['1.1.0', '1.2.0']);
    expect((await feed({ branch: 'kazan', id: id(3), version: '1.1.0' })).version).toBe('1.2.0');
    const missing = await release(['remove', '1.3.0', '--channel', 'stable']);
    expect(missing.err).toMatch(/no release 1\.3\.0 on stable/);
    expect((await release(['add', mkdtempSync(path.join(os.tmpdir(), 'x-')), '--channel', 'Stable!'])).err).toMatch(
      /channel "Stable!"/,
    );
  });
});
