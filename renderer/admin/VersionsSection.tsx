import type { JSX } from 'preact';
import { fullDateTime } from '../format/dates.ts';
import { language } from '../i18n/language.ts';
import { t } from '../i18n/t.ts';
import { useAdminQuery } from './useAdminQuery.ts';

interface VersionCount {
  version: string;
  platform: 'win' | 'linux' | 'mac';
  installs: number;
  lastSeenAt: number;
}

interface Release {
  channel: string;
  version: string;
  rollout: { percent: number; branches: string[] | null };
  createdAt: number;
}

const platformNames: Record<VersionCount['platform'], string> = { win: 'Windows', linux: 'Linux', mac: 'macOS' };

/**
 * The desktop app's versions in use (`release.status`: each install as it last asked the hub for
 * updates, within 30 days) and the releases the hub offers with who gets each (`release.list`).
 * Releases are added and rolled out from the command line (`beseda-hub release …`).
 */
export function VersionsSection(): JSX.Element {
  const inUse = useAdminQuery<{ versions: VersionCount[] }>('release.status');
  const releases = useAdminQuery<{ releases: Release[] }>('release.list');
  const lang = language.value;
  const reload = () => {
    inUse.reload();
    releases.reload();
  };
  const who = (r: Release['rollout']) => {
    const list = r.branches?.join(', ') ?? '';
    if (r.percent >= 100) return t('admin.versions.everyone');
    if (!list) return `${r.percent}%`;
    return r.percent === 0 ? t('admin.versions.only', { branches: list }) : `${r.percent}% + ${list}`;
  };
  const versions = inUse.data?.versions ?? [];
  return (
    <section class="admin-section" data-section="versions">
      <div class="admin-toolbar">
        <p>{inUse.data ? t('admin.versions.total', { n: versions.reduce((s, v) => s + v.installs, 0) }) : ''}</p>
        <button type="button" class="button button-small" onClick={reload}>
          {t('admin.refresh')}
        </button>
      </div>
      {(inUse.error ?? releases.error) && <p class="field-error">{inUse.error ?? releases.error}</p>}
      <div class="admin-table-wrap">
        <table class="admin-table" data-table="versions">
          <thead>
            <tr>
              <th>{t('admin.versions.version')}</th>
              <th>{t('admin.versions.platform')}</th>
              <th>{t('admin.versions.installs')}</th>
              <th>{t('admin.versions.lastSeen')}</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={`${v.version}-${v.platform}`} data-version={v.version}>
                <td>{v.version}</td>
                <td>{platformNames[v.platform] ?? v.platform}</td>
                <td>{v.installs}</td>
                <td>{fullDateTime(v.lastSeenAt, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {inUse.data && versions.length === 0 && <p class="admin-sub">{t('admin.versions.none')}</p>}
      <h3>{t('admin.versions.releases')}</h3>
      <ul class="admin-list">
        {(releases.data?.releases ?? []).map((r) => (
          <li key={`${r.channel}-${r.version}`} data-release={`${r.channel} ${r.version}`}>
            {r.channel} {r.version} · {who(r.rollout)} · {fullDateTime(r.createdAt, lang)}
          </li>
        ))}
      </ul>
      {releases.data && releases.data.releases.length === 0 && (
        <p class="admin-sub">{t('admin.versions.noReleases')}</p>
      )}
    </section>
  );
}
