import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { fullDateTime } from '../format/dates.ts';
import { language } from '../i18n/language.ts';
import { t } from '../i18n/t.ts';
import { AnnouncementReportView } from './AnnouncementReportView.tsx';
import type { AdminRoom } from './RoomsSection.tsx';
import { runAction } from './runAction.ts';
import { useAdminQuery } from './useAdminQuery.ts';

interface AuditEntry {
  id: number;
  at: number;
  actor: string;
  target: string | null;
  detail: { seq?: number; text?: string };
}

/**
 * Announcements: write one to a room (everyone in it must confirm), the ones sent before (from the
 * audit log, whoever sent them: the console, the CLI) and each one's confirmation report.
 */
export function AnnouncementsSection(): JSX.Element {
  const rooms = useAdminQuery<{ rooms: AdminRoom[] }>('room.list');
  const sent = useAdminQuery<{ entries: AuditEntry[] }>('audit.list', { action: 'announce', limit: 50 });
  const [to, setTo] = useState('');
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<number | null>(null);

  const roomList = rooms.data?.rooms ?? [];
  const target = to || (roomList[0] ? String(roomList[0].id) : '');
  const send = async (e: Event) => {
    e.preventDefault();
    const room = roomList.find((r) => String(r.id) === target);
    if (!room || !confirm(t('admin.announce.confirm', { room: room.name }))) return;
    setBusy(true);
    const r = await runAction<{ message: { seq: number } }>('announce', { to: target, text }, t('admin.announce.sent'));
    setBusy(false);
    if (!r) return;
    setText('');
    setReport(r.message.seq);
    sent.reload();
  };

  return (
    <section class="admin-section" data-section="announcements">
      <form class="admin-form admin-form-wide" onSubmit={(e) => void send(e)} aria-label={t('admin.announce.write')}>
        <label class="field">
          <span class="field-label">{t('admin.announce.audience')}</span>
          <select value={target} onChange={(e) => setTo(e.currentTarget.value)}>
            {roomList.map((r) => (
              <option key={r.id} value={String(r.id)}>
                {r.name} ({t('admin.announce.people', { n: r.memberCount })})
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span class="field-label">{t('admin.announce.text')}</span>
          <textarea required rows={4} maxLength={65536} value={text} onInput={(e) => setText(e.currentTarget.value)} />
        </label>
        <div class="admin-actions">
          <button type="submit" class="button button-brand" disabled={busy || !target}>
            {t('admin.announce.send')}
          </button>
        </div>
      </form>

      {report !== null && <AnnouncementReportView key={report} seq={report} onClose={() => setReport(null)} />}

      <h3>{t('admin.announce.sentTitle')}</h3>
      {sent.error && <p class="field-error">{sent.error}</p>}
      <ul class="admin-list">
        {(sent.data?.entries ?? [])
          .filter((e) => typeof e.detail.seq === 'number')
          .map((e) => (
            <li key={e.id} data-seq={e.detail.seq}>
              <div>
                <div class="admin-clip">{e.detail.text ?? ''}</div>
                <div class="admin-sub">
                  {fullDateTime(e.at, language.value)} ·{' '}
                  {roomList.find((r) => String(r.id) === e.target)?.name ?? e.target ?? ''} · {e.actor}
                </div>
              </div>
              <div class="admin-actions">
                <button type="button" class="button button-small" onClick={() => setReport(e.detail.seq!)}>
                  {t('admin.announce.report')}
                </button>
              </div>
            </li>
          ))}
      </ul>
      {sent.data && sent.data.entries.length === 0 && <p class="admin-empty">{t('admin.announce.none')}</p>}
    </section>
  );
}
