import { describe, expect, it } from 'vitest';
import type { PgDatabase } from '../../hub/store/postgres/PgDatabase.ts';
import type { ReleaseBuild } from '../../hub/store/ReleaseStore.ts';
import type { Store } from '../../hub/store/Store.ts';
import { ids } from './queuesSeed.ts';

const build = (over: Partial<ReleaseBuild>): ReleaseBuild => ({
  platform: 'win',
  builtFor: null,
  ymlName: 'latest.yml',
  yml: 'version: 1.2.0\n',
  files: [{ name: 'Beseda-Setup-1.2.0.exe', size: 1234, sha512: 'abc==' }],
  dir: 'win',
  ...over,
});

/** The PostgreSQL ReleaseStore's tests (run from queues.test.ts, which owns the test cluster). */
export function releaseTests(fresh: () => Promise<{ url: string; store: Store; db: PgDatabase }>): void {
  describe('releases', () => {
    it('addBuilds, list, setRollout and remove', async () => {
      const { store, db } = await fresh();
      const rs = store.releases;
      expect(await rs.list()).toEqual([]);
      const win = build({});
      const linux = build({ platform: 'linux', ymlName: 'latest-linux.yml', dir: 'linux' });
      const kazan = build({ builtFor: 'kazan', dir: 'win-kazan' });
      expect(await rs.addBuilds('stable', '1.2.0', { percent: 20, branches: null }, [win, linux], 100)).toBe('added');
      // More builds later (another platform, a branch's own installer); the rollout given then is not applied.
      expect(await rs.addBuilds('stable', '1.2.0', { percent: 99, branches: null }, [kazan], 200)).toBe('added');
      // A feed file already there: nothing written, not even the other build given with it.
      const mac = build({ platform: 'mac', ymlName: 'latest-mac.yml', dir: 'mac' });
      expect(await rs.addBuilds('stable', '1.2.0', { percent: 20, branches: null }, [mac, win], 300)).toBe('exists');
      expect(await rs.addBuilds('beta', '1.3.0', { percent: 100, branches: ['kazan', 'ufa'] }, [win], 400)).toBe(
        'added',
      );
      const stable = {
        channel: 'stable',
        version: '1.2.0',
        rollout: { percent: 20, branches: null },
        createdAt: 100,
        // By feed file name, then branch ('' first: for every branch).
        builds: [linux, win, kazan],
      };
      const beta = {
        channel: 'beta',
        version: '1.3.0',
        rollout: { percent: 100, branches: ['kazan', 'ufa'] },
        createdAt: 400,
        builds: [win],
      };
      expect(await rs.list('stable')).toEqual([stable]);
      expect(await rs.list('nightly')).toEqual([]);
      const all = await rs.list();
      expect(all.sort((a, b) => a.createdAt - b.createdAt)).toEqual([stable, beta]);

      expect(await rs.setRollout('stable', '1.2.0', { percent: 0, branches: ['kazan'] })).toBe(true);
      expect(await rs.setRollout('stable', '9.9.9', { percent: 0, branches: null })).toBe(false);
      expect((await rs.list('stable'))[0]!.rollout).toEqual({ percent: 0, branches: ['kazan'] });
      // The percent must be 0–100 (a CHECK, as in SQLite).
      await expect(rs.setRollout('stable', '1.2.0', { percent: 101, branches: null })).rejects.toMatchObject({
        code: '23514',
      });

      expect(await rs.remove('stable', '1.2.0')).toBe(true);
      expect(await rs.remove('stable', '1.2.0')).toBe(false);
      expect(await rs.list()).toEqual([beta]);
      // Its builds went with it.
      expect(await db.one('SELECT count(*) AS n FROM update_builds')).toEqual({ n: 1 });
    });

    it('two uploads of one feed file at once: one added, one exists', async () => {
      const { store } = await fresh();
      for (let round = 0; round < 5; round++) {
        const version = `2.0.${round}`;
        const results = await Promise.all(
          Array.from({ length: 4 }, (_, i) =>
            store.releases.addBuilds('stable', version, { percent: 100, branches: null }, [build({ dir: `d${i}` })], i),
          ),
        );
        expect(results.sort()).toEqual(['added', 'exists', 'exists', 'exists']);
        const [release] = await store.releases.list('stable').then((l) => l.filter((r) => r.version === version));
        expect(release!.builds).toHaveLength(1);
      }
    });

    it('recordInstall and versionsInUse', async () => {
      const { store } = await fresh();
      const rs = store.releases;
      const report = { version: '1.2.0', branch: null, platform: 'win' as const, channel: 'stable', userId: ids.alice };
      await rs.recordInstall({ ...report, installId: 'i1', seenAt: 1_000 });
      await rs.recordInstall({ ...report, installId: 'i2', seenAt: 1_500 });
      await rs.recordInstall({ ...report, installId: 'i3', version: '1.1.0', seenAt: 1_200 });
      await rs.recordInstall({ ...report, installId: 'i4', version: '1.1.0', platform: 'linux', seenAt: 1_300 });
      await rs.recordInstall({ ...report, installId: 'i5', version: '1.0.0', seenAt: 10 });
      // i3 updated: a report replaces the install's previous one.
      await rs.recordInstall({ ...report, installId: 'i3', branch: 'kazan', userId: ids.bob, seenAt: 1_400 });
      expect(await rs.versionsInUse(500)).toEqual([
        { version: '1.2.0', platform: 'win', installs: 3, lastSeenAt: 1_500 },
        { version: '1.1.0', platform: 'linux', installs: 1, lastSeenAt: 1_300 },
      ]);
      expect(await rs.versionsInUse(0)).toContainEqual({
        version: '1.0.0',
        platform: 'win',
        installs: 1,
        lastSeenAt: 10,
      });
      expect(await rs.versionsInUse(2_000)).toEqual([]);
    });
  });
}
