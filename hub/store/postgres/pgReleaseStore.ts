import type {
  ReleaseBuild,
  ReleaseFile,
  ReleaseRecord,
  ReleaseStore,
  Rollout,
  UpdatePlatform,
  VersionCount,
} from '../ReleaseStore.ts';
import type { PgDatabase } from './PgDatabase.ts';

interface ReleaseRow {
  id: number;
  channel: string;
  version: string;
  rollout_percent: number;
  rollout_branches: string | null;
  created_at: number;
}

interface BuildRow {
  release_id: number;
  platform: UpdatePlatform;
  built_for: string;
  yml_name: string;
  yml: string;
  files: string;
  dir: string;
}

/** pg_advisory_xact_lock(class, 0): one addBuilds at a time, as SQLite's IMMEDIATE transaction ("rele" as an int4). */
const releaseLockClass = 1919249509;

const branchesJson = (rollout: Rollout) => (rollout.branches === null ? null : JSON.stringify(rollout.branches));

const toBuild = (b: BuildRow): ReleaseBuild => ({
  platform: b.platform,
  builtFor: b.built_for === '' ? null : b.built_for,
  ymlName: b.yml_name,
  yml: b.yml,
  files: JSON.parse(b.files) as ReleaseFile[],
  dir: b.dir,
});

/** The PostgreSQL {@link ReleaseStore}: tables update_releases, update_builds and desktop_installs. */
export function pgReleaseStore(db: PgDatabase): ReleaseStore {
  return {
    addBuilds: (channel, version, rollout, builds, now) =>
      db.tx(async (q): Promise<'added' | 'exists'> => {
        // Two uploads of one release at once (two admins, two nodes) must not both find "no such
        // feed file yet": they take turns, as they do in SQLite. Uploads are rare; nothing else waits.
        await q.run('SELECT pg_advisory_xact_lock($1, 0)', [releaseLockClass]);
        let id = (
          await q.one<{ id: number }>('SELECT id FROM update_releases WHERE channel = $1 AND version = $2', [
            channel,
            version,
          ])
        )?.id;
        if (id === undefined)
          id = (await q.one<{ id: number }>(
            `INSERT INTO update_releases (channel, version, rollout_percent, rollout_branches, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id`,
            [channel, version, rollout.percent, branchesJson(rollout), now],
          ))!.id;
        const taken = await q.one(
          `SELECT 1 FROM update_builds b JOIN unnest($2::text[], $3::text[]) AS t(yml_name, built_for)
             ON b.yml_name = t.yml_name AND b.built_for = t.built_for
           WHERE b.release_id = $1 LIMIT 1`,
          [id, builds.map((b) => b.ymlName), builds.map((b) => b.builtFor ?? '')],
        );
        // Only an existing release can have them, so nothing was written.
        if (taken) return 'exists';
        for (const b of builds)
          await q.run(
            `INSERT INTO update_builds (release_id, platform, built_for, yml_name, yml, files, dir)
             VALUES ($1, $2, $3, $4, $5, $6, $7)`,
            [id, b.platform, b.builtFor ?? '', b.ymlName, b.yml, JSON.stringify(b.files), b.dir],
          );
        return 'added';
      }),
    list: async (channel) => {
      const rows =
        channel === undefined
          ? await db.all<ReleaseRow>('SELECT * FROM update_releases')
          : await db.all<ReleaseRow>('SELECT * FROM update_releases WHERE channel = $1', [channel]);
      if (rows.length === 0) return [];
      // One query for every release's builds; COLLATE "C": byte order, as SQLite sorts text.
      const builds = await db.all<BuildRow>(
        `SELECT * FROM update_builds WHERE release_id = ANY($1::bigint[])
         ORDER BY yml_name COLLATE "C", built_for COLLATE "C"`,
        [rows.map((r) => r.id)],
      );
      return rows.map((r): ReleaseRecord => ({
        channel: r.channel,
        version: r.version,
        rollout: {
          percent: r.rollout_percent,
          branches: r.rollout_branches === null ? null : (JSON.parse(r.rollout_branches) as string[]),
        },
        createdAt: r.created_at,
        builds: builds.filter((b) => b.release_id === r.id).map(toBuild),
      }));
    },
    setRollout: async (channel, version, rollout) =>
      (await db.run(
        'UPDATE update_releases SET rollout_percent = $1, rollout_branches = $2 WHERE channel = $3 AND version = $4',
        [rollout.percent, branchesJson(rollout), channel, version],
      )) > 0,
    // The builds go with it (ON DELETE CASCADE).
    remove: async (channel, version) =>
      (await db.run('DELETE FROM update_releases WHERE channel = $1 AND version = $2', [channel, version])) > 0,
    recordInstall: async (r) => {
      await db.run(
        `INSERT INTO desktop_installs (install_id, version, branch, platform, channel, user_id, seen_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (install_id) DO UPDATE SET version = excluded.version, branch = excluded.branch,
           platform = excluded.platform, channel = excluded.channel, user_id = excluded.user_id,
           seen_at = excluded.seen_at`,
        [r.installId, r.version, r.branch, r.platform, r.channel, r.userId, r.seenAt],
      );
    },
    versionsInUse: (since) =>
      db.all<VersionCount>(
        `SELECT version, platform, count(*) AS installs, max(seen_at) AS "lastSeenAt" FROM desktop_installs
         WHERE seen_at >= $1 GROUP BY version, platform ORDER BY installs DESC, version COLLATE "C" DESC`,
        [since],
      ),
  };
}
