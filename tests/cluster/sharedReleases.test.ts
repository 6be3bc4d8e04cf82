// Desktop releases on several hub nodes (issues 20 and 21): `--releases-dir` points every node at one
// shared folder, so a release IT adds through one node is served, feed and installer, by any other.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../integrations/integrationHelpers.ts';
import { clusterAvailable, clusterSkipReason, startCluster, type TestCluster } from '../helpers/startCluster.ts';
import { fakeBuild, sha512 } from '../update/releaseHelpers.ts';

describe.skipIf(!clusterAvailable)(
  `desktop releases on two hub nodes${clusterSkipReason && ` (skipped: ${clusterSkipReason})`}`,
  () => {
    let cluster: TestCluster;
    const releases = mkdtempSync(path.join(os.tmpdir(), 'beseda-releases-'));

    beforeAll(async () => {
      cluster = await startCluster({ nodes: 2, args: ['--releases-dir', releases] });
    }, 180_000);
    afterAll(async () => {
      await cluster?.close();
      rmSync(releases, { recursive: true, force: true });
    }, 120_000);

    it('serves through node 1 the release added through node 0', async () => {
      const build = fakeBuild('2.0.0', 'kazan');
      const added = await runCli([
        'release',
        'add',
        ...build.paths,
        '--channel',
        'stable',
        '--data',
        cluster.nodes[0]!.dataDir,
        '--releases-dir',
        releases,
      ]);
      expect(added.code, added.out + added.err).toBe(0);
      const ivan = await cluster.nodes[0]!.addUser('ivan', 'Иван', { branch: 'kazan' });
      const { token } = await cluster.nodes[1]!.login('ivan', ivan.password);
      const auth = { authorization: `Bearer ${token}` };
      const query = `branch=kazan&id=${'1'.padStart(32, '0')}&version=1.0.0`;
      const other = cluster.nodes[1]!.url;
      const feed = await fetch(`${other}/updates/stable/win/latest.yml?${query}`, { headers: auth });
      const text = await feed.text();
      expect(feed.status, text).toBe(200);
      expect(text).toContain('version: 2.0.0');
      const file = await fetch(`${other}/updates/stable/win/${encodeURIComponent(build.installer.name)}?${query}`, {
        headers: auth,
      });
      expect(file.status).toBe(200);
      expect(sha512(Buffer.from(await file.arrayBuffer()))).toBe(sha512(build.installer.bytes));
    }, 120_000);
  },
);
