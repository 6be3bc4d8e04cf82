import type { JSX } from 'preact';
import { fullDateTime } from '../format/dates.ts';
import { fileSizeLabel } from '../format/fileSize.ts';
import { language } from '../i18n/language.ts';
import { t } from '../i18n/t.ts';
import { useAdminQuery } from './useAdminQuery.ts';

interface StorageStatus {
  databaseBytes: number;
  databaseWalBytes: number;
  storage: { ok: boolean; fullSince: number | null };
  files: { bytes: number; files: number; maxTotalBytes: number | null; fullSince: number | null };
  backups: {
    dir: string;
    everyMs: number;
    keep: number;
    lastSuccess: { file: string; kind: string; at: number; bytes: number } | null;
    lastFailure: { at: number; error: string } | null;
    nextAt: number | null;
  } | null;
}

/** The database and files' size and health, and the backups: the last one, a failure, the next one. */
export function StorageSection(): JSX.Element {
  const q = useAdminQuery<StorageStatus>('storage.status');
  const lang = language.value;
  const size = (n: number) => fileSizeLabel(n, lang);
  const when = (ms: number | null) => (ms === null ? '—' : fullDateTime(ms, lang));
  const s = q.data;
  const b = s?.backups ?? null;
  return (
    <section class="admin-section" data-section="storage">
      <div class="admin-toolbar">
        <span />
        <button type="button" class="button button-small" onClick={q.reload}>
          {t('admin.refresh')}
        </button>
      </div>
      {q.error && <p class="field-error">{q.error}</p>}
      {s && (
        <dl class="admin-facts">
          <dt>{t('admin.storage.state')}</dt>
          <dd data-fact="state" class={s.storage.ok && s.files.fullSince === null ? 'admin-ok' : 'admin-bad'}>
            {s.storage.ok && s.files.fullSince === null
              ? t('admin.storage.ok')
              : t('admin.storage.full', { since: when(s.storage.fullSince ?? s.files.fullSince) })}
          </dd>
          <dt>{t('admin.storage.database')}</dt>
          <dd data-fact="database">
            {size(s.databaseBytes)}
            {s.databaseWalBytes > 0 && ` + ${size(s.databaseWalBytes)} WAL`}
          </dd>
          <dt>{t('admin.storage.files')}</dt>
          <dd data-fact="files">
            {t('admin.storage.filesValue', { n: s.files.files, size: size(s.files.bytes) })}
            {s.files.maxTotalBytes !== null && ` / ${size(s.files.maxTotalBytes)}`}
          </dd>
          <dt>{t('admin.storage.backupDir')}</dt>
          <dd data-fact="backupDir">{b ? b.dir : '—'}</dd>
          <dt>{t('admin.storage.schedule')}</dt>
          <dd data-fact="schedule">
            {!b || b.everyMs === 0
              ? t('admin.storage.noSchedule')
              : t('admin.storage.every', { hours: Math.round((b.everyMs / 3_600_000) * 10) / 10, keep: b.keep })}
          </dd>
          <dt>{t('admin.storage.lastBackup')}</dt>
          <dd data-fact="lastBackup" class={b?.lastSuccess ? undefined : 'admin-bad'}>
            {b?.lastSuccess
              ? `${when(b.lastSuccess.at)} · ${size(b.lastSuccess.bytes)} · ${t(`admin.storage.kind.${kindKey(b.lastSuccess.kind)}`)}`
              : t('admin.storage.noBackup')}
          </dd>
          {b?.lastFailure && (
            <>
              <dt>{t('admin.storage.lastFailure')}</dt>
              <dd data-fact="lastFailure" class="admin-bad">
                {when(b.lastFailure.at)}: {b.lastFailure.error}
              </dd>
            </>
          )}
          <dt>{t('admin.storage.next')}</dt>
          <dd data-fact="next">{when(b?.nextAt ?? null)}</dd>
        </dl>
      )}
    </section>
  );
}

function kindKey(kind: string): 'scheduled' | 'manual' | 'migration' {
  return kind === 'manual' ? 'manual' : kind === 'pre-migration' ? 'migration' : 'scheduled';
}
