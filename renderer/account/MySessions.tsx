import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { SessionInfo } from '../../common/protocol/sessionInfo.ts';
import { backend } from '../backend/currentBackend.ts';
import { fullDateTime } from '../format/dates.ts';
import { language } from '../i18n/language.ts';
import { t } from '../i18n/t.ts';
import { errorParts, passwordErrorText } from './passwordErrorText.ts';

/** My live sessions (device, address, last use), each with «Завершить», and «Выйти на всех устройствах». */
export function MySessions({ reload }: { reload: number }): JSX.Element {
  const [sessions, setSessions] = useState<SessionInfo[] | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const load = () =>
    backend()
      .listSessions()
      .then(setSessions, (e: unknown) => setNote(passwordErrorText(errorParts(e).code, errorParts(e).message)));
  useEffect(() => void load(), [reload]);

  const run = async (action: () => Promise<string | null>) => {
    try {
      setNote(await action());
    } catch (e) {
      setNote(passwordErrorText(errorParts(e).code, errorParts(e).message));
    }
    await load();
  };

  return (
    <section class="security-section" aria-labelledby="my-sessions">
      <h3 id="my-sessions">{t('account.sessions.title')}</h3>
      {note && (
        <p class="hint" role="status">
          {note}
        </p>
      )}
      <ul class="session-list" data-sessions>
        {[...(sessions ?? [])]
          // This device first, then the most recently used.
          .sort((a, b) => Number(b.current) - Number(a.current))
          .map((s) => (
            <li key={s.id} data-session={s.id} data-current={s.current ? 'true' : undefined}>
              <div>
                <strong>{s.device ?? t('account.sessions.unknownDevice')}</strong>
                {s.current && <span class="hint"> · {t('account.sessions.current')}</span>}
              </div>
              <div class="hint">
                {t('account.sessions.lastUsed', {
                  address: s.address ?? '—',
                  time: fullDateTime(s.lastUsedAt, language.value),
                })}
              </div>
              {!s.current && (
                <button
                  type="button"
                  class="button"
                  onClick={() => void run(async () => (await backend().endSession(s.id), null))}
                >
                  {t('account.sessions.end')}
                </button>
              )}
            </li>
          ))}
      </ul>
      <button
        type="button"
        class="button"
        data-end-all
        disabled={(sessions ?? []).length < 2}
        onClick={() => void run(async () => t('account.sessions.endedAll', { n: await backend().endOtherSessions() }))}
      >
        {t('account.sessions.endAll')}
      </button>
    </section>
  );
}
