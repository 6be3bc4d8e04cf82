import type { JSX } from 'preact';
import { fullDateTime } from '../format/dates.ts';
import { language } from '../i18n/language.ts';
import { t } from '../i18n/t.ts';
import { downloadCsv } from './downloadCsv.ts';
import { useAdminQuery } from './useAdminQuery.ts';

interface Report {
  seq: number;
  ts: number;
  branches: { branch: string | null; confirmed: number; pending: number }[];
  people: { login: string; name: string; branch: string | null; confirmedAt: number | null }[];
  csv: string;
}

/** One announcement's confirmations: counts by branch, who has not confirmed yet, and the CSV. */
export function AnnouncementReportView(props: { seq: number; onClose: () => void }): JSX.Element {
  const q = useAdminQuery<Report>('announce.report', { seq: props.seq }, String(props.seq));
  const r = q.data;
  const pending = r?.people.filter((p) => p.confirmedAt === null) ?? [];
  return (
    <div class="admin-report" aria-labelledby="admin-report-title" data-report={props.seq}>
      <div class="admin-toolbar">
        <h3 id="admin-report-title">{t('admin.report.title', { seq: props.seq })}</h3>
        <div class="admin-actions">
          <button type="button" class="button button-small" onClick={q.reload}>
            {t('admin.refresh')}
          </button>
          <button
            type="button"
            class="button button-small"
            disabled={!r}
            onClick={() => r && downloadCsv(`announcement-${r.seq}.csv`, r.csv)}
          >
            {t('admin.report.csv')}
          </button>
          <button type="button" class="button button-small" onClick={props.onClose}>
            {t('admin.close')}
          </button>
        </div>
      </div>
      {q.error && <p class="field-error">{q.error}</p>}
      {r && (
        <>
          <p class="admin-sub">{fullDateTime(r.ts, language.value)}</p>
          <table class="admin-table">
            <thead>
              <tr>
                <th>{t('admin.people.branch')}</th>
                <th>{t('admin.report.confirmed')}</th>
                <th>{t('admin.report.pending')}</th>
              </tr>
            </thead>
            <tbody>
              {r.branches.map((b) => (
                <tr key={b.branch ?? ''} data-branch={b.branch ?? ''}>
                  <td>{b.branch ?? t('admin.report.noBranch')}</td>
                  <td>{b.confirmed}</td>
                  <td>{b.pending}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h4>{t('admin.report.notYet', { n: pending.length })}</h4>
          <ul class="admin-names">
            {pending.map((p) => (
              <li key={p.login} data-pending={p.login}>
                {p.name} <span class="admin-sub">{p.branch ?? t('admin.report.noBranch')}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
