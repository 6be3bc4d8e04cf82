import type { Database } from 'better-sqlite3';
import type {
  ReleaseBuild,
  ReleaseFile,
  ReleaseRecord,
  ReleaseStore,
  Rollout,
  UpdatePlatform,
} from '../ReleaseStore.ts';
import { statement } from './statement.ts';

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

const branchesJson = (rollout: Rollout) => (rollout.branches === null ? null : JSON.stringify(rollout.branches));

/** The SQLite {@link ReleaseStore}: tables update_releases, update_builds and desktop_installs (schema step 19). */
export function sqliteReleaseStore(db: Database): ReleaseStore {
  const releaseId = (channel: string, version: string) =>
    (
      statement(db, 'SELECT id FROM update_releases WHERE channel = ? AND version = ?').get(channel, version) as
        { id: number } | undefined
    )?.id;

  const addBuilds = db.transaction(
    (channel: string, version: string, rollout: Rollout, builds: ReleaseBuild[], now: number): 'added' | 'exists' => {
      let id = releaseId(channel, version);
      if (id === undefined)
        id = Number(
          statement(
            db,
            `INSERT INTO update_releases (channel, version, rollout_percent, rollout_branches, created_at)
             VALUES (?, ?, ?, ?, ?)`,
          ).run(channel, version, rollout.percent, branchesJson(rollout), now).lastInsertRowid,
        );
      const taken = statement(
        db,
        'SELECT 1 FROM update_builds WHERE release_id = ? AND yml_name = ? AND built_for = ?',
      );
      if (builds.some((b) => taken.get(id, b.ymlName, b.builtFor ?? '') !== undefined)) return 'exists';
      for (const b of builds)
        statement(
          db,
          `INSERT INTO update_builds (release_id, platform, built_for, yml_name, yml, files, dir)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        ).run(id, b.platform, b.builtFor ?? '', b.ymlName, b.yml, JSON.stringify(b.files), b.dir);
      return 'added';
    },
  );

  return {
    addBuilds: async (channel, version, rollout, builds, now) =>
      addBuilds.immediate(channel, version, rollout, builds, now),
    list: async (channel) => {
      const rows = (
        channel === undefined
          ? statement(db, 'SELECT * FROM update_releases').all()
          : statement(db, 'SELECT * FROM update_releases WHERE channel = ?').all(channel)
      ) as ReleaseRow[];
      const builds = statement(db, 'SELECT * FROM update_builds WHERE release_id = ? ORDER BY yml_name, built_for');
      return rows.map((r): ReleaseRecord => ({
        channel: r.channel,
        version: r.version,
        rollout: {
          percent: r.rollout_percent,
          branches: r.rollout_branches === null ? null : (JSON.parse(r.rollout_branches) as string[]),
        },
        createdAt: r.created_at,
        builds: (builds.all(r.id) as BuildRow[]).map((b) => ({
          platform: b.platform,
          builtFor: b.built_for === '' ? null : b.built_for,
          ymlName: b.yml_name,
          yml: b.yml,
          files: JSON.parse(b.files) as ReleaseFile[],
          dir: b.dir,
        })),
      }));
    },
    setRollout: async (channel, version, rollout) =>
      statement(
        db,
        'UPDATE update_releases SET rollout_percent = ?, rollout_branches = ? WHERE channel = ? AND version = ?',
      ).run(rollout.percent, branchesJson(rollout), channel, version).changes > 0,
    // The builds go with it (ON DELETE CASCADE).
    remove: async (channel, version) =>
      statement(db, 'DELETE FROM update_releases WHERE channel = ? AND version = ?').run(channel, version).changes > 0,
    recordInstall: async (r) => {
      statement(
        db,
        `INSERT INTO desktop_installs (install_id, version, branch, platform, channel, user_id, seen_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (install_id) DO UPDATE SET version = excluded.version, branch = excluded.branch,
           platform = excluded.platform, channel = excluded.channel, user_id = excluded.user_id,
           seen_at = excluded.seen_at`,
      ).run(r.installId, r.version, r.branch, r.platform, r.channel, r.userId, r.seenAt);
    },
    versionsInUse: async (since) =>
      statement(
        db,
        `SELECT version, platform, COUNT(*) AS installs, MAX(seen_at) AS lastSeenAt FROM desktop_installs
         WHERE seen_at >= ? GROUP BY version, platform ORDER BY installs DESC, version DESC`,
      ).all(since) as Awaited<ReturnType<ReleaseStore['versionsInUse']>>,
  };
}
