import type { JSX } from 'preact';
import './admin.css';
import { Toasts } from '../components/Toasts.tsx';
import { t } from '../i18n/t.ts';
import { adminRoute, adminSections, closeAdmin, type AdminSection } from './adminRoute.ts';
import { AnnouncementsSection } from './AnnouncementsSection.tsx';
import { IntegrationsSection } from './IntegrationsSection.tsx';
import { OnlineSection } from './OnlineSection.tsx';
import { PeopleSection } from './PeopleSection.tsx';
import { RoomsSection } from './RoomsSection.tsx';
import { StorageSection } from './StorageSection.tsx';
import { VersionsSection } from './VersionsSection.tsx';

const sections: Record<AdminSection, () => JSX.Element> = {
  people: PeopleSection,
  rooms: RoomsSection,
  integrations: IntegrationsSection,
  announcements: AnnouncementsSection,
  online: OnlineSection,
  storage: StorageSection,
  versions: VersionsSection,
};

/**
 * The administrators' console (`#/admin/<section>`): people, rooms, bots and webhooks,
 * announcements, who is online, storage and backups, the desktop app's versions. Every action is an `admin` request the hub
 * authorizes and audits; this page only shows what the hub answers.
 */
export function AdminConsole(): JSX.Element {
  const section = adminRoute.value ?? 'people';
  const Section = sections[section];
  return (
    <div class="admin">
      <header class="admin-header">
        <button type="button" class="button button-small" onClick={closeAdmin}>
          {t('admin.back')}
        </button>
        <h1>{t('admin.title')}</h1>
      </header>
      <nav class="admin-nav" aria-label={t('admin.sections')}>
        {adminSections.map((s) => (
          <a key={s} class="admin-tab" href={`#/admin/${s}`} aria-current={s === section ? 'page' : undefined}>
            {t(`admin.section.${s}`)}
          </a>
        ))}
      </nav>
      <main class="admin-main" aria-labelledby="admin-section-title">
        <h2 id="admin-section-title">{t(`admin.section.${section}`)}</h2>
        <Section key={section} />
      </main>
      <Toasts />
    </div>
  );
}
