import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { MessageKey } from '../i18n/translate.ts';
import { t } from '../i18n/t.ts';
import { client } from '../state/clientState.ts';
import { Icon } from '../ui/Icon.tsx';

/** A connection attempt shorter than this (a reload, a sign-in) is not worth a warning. */
const graceMs = 2000;

/** A strip above the messages while the hub is not connected: what is wrong and that nothing is lost. */
export function ConnectionBanner(): JSX.Element | null {
  const connection = client.connection.value;
  const [late, setLate] = useState(false);
  useEffect(() => {
    setLate(false);
    if (connection !== 'connecting') return;
    const timer = setTimeout(() => setLate(true), graceMs);
    return () => clearTimeout(timer);
  }, [connection]);

  if (connection === 'connected' || connection === 'signed-out') return null;
  if (connection === 'connecting' && !late && client.connectionError.value === null) return null;
  const error = client.connectionError.value;
  const reason = error ? t(`connectionError.${error}` as MessageKey) : '';
  const known = error !== null && reason !== `connectionError.${error}`;
  return (
    <div class={`connection-banner ${connection}`} role="status" data-connection={connection}>
      <Icon name={connection === 'connecting' ? 'clock' : 'alert'} size={16} />
      <span>
        {t('connection.offline')}
        {known && <span class="banner-reason"> ({reason.charAt(0).toLocaleLowerCase() + reason.slice(1)})</span>}
      </span>
      {connection === 'connecting' && <span class="spinner" aria-hidden="true" />}
    </div>
  );
}
