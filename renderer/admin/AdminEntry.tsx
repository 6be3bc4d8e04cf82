import type { ComponentType, JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { t } from '../i18n/t.ts';

let loaded: ComponentType | null = null;

/**
 * The admin console, loaded the first time an administrator opens it: its code and styles stay out
 * of the bundle everyone else downloads.
 */
export function AdminEntry(): JSX.Element {
  const [Console, setConsole] = useState<ComponentType | null>(() => loaded);
  useEffect(() => {
    if (Console) return;
    void import('./AdminConsole.tsx').then((m) => {
      loaded = m.AdminConsole;
      setConsole(() => m.AdminConsole);
    });
  }, [Console]);
  return Console ? (
    <Console />
  ) : (
    <div class="splash" role="status">
      {t('app.loading')}
    </div>
  );
}
