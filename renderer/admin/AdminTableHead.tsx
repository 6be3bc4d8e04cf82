import type { JSX } from 'preact';
import { t } from '../i18n/t.ts';

/** The header row of an admin table: the given columns, then the actions column named for screen readers only. */
export function AdminTableHead({ columns }: { columns: string[] }): JSX.Element {
  return (
    <thead>
      <tr>
        {columns.map((c) => (
          <th key={c}>{c}</th>
        ))}
        <th>
          <span class="visually-hidden">{t('admin.actions')}</span>
        </th>
      </tr>
    </thead>
  );
}
