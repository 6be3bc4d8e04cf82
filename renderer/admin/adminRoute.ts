import { signal } from '@preact/signals';

/** The admin console's sections, in the order of its navigation. */
export const adminSections = [
  'people',
  'rooms',
  'integrations',
  'announcements',
  'online',
  'storage',
  'versions',
] as const;

/** One section of the admin console. */
export type AdminSection = (typeof adminSections)[number];

/** The section a `#/admin/<section>` address names (`#/admin` alone: people); null for any other address. */
export function parseAdminHash(hash: string): AdminSection | null {
  const m = /^#\/admin(?:\/([a-z]+))?\/?$/.exec(hash);
  if (!m) return null;
  const named = m[1] ?? 'people';
  return (adminSections as readonly string[]).includes(named) ? (named as AdminSection) : 'people';
}

/** The open admin console section; null: the chat is shown. Only administrators ever see it (App checks). */
export const adminRoute = signal<AdminSection | null>(parseAdminHash(location.hash));

/** Follows the address bar (back/forward, a pasted `#/admin/...` link); returns the clean-up. */
export function followAdminHash(): () => void {
  const onHash = () => (adminRoute.value = parseAdminHash(location.hash));
  window.addEventListener('hashchange', onHash);
  return () => window.removeEventListener('hashchange', onHash);
}

/** Opens a section of the console (an address of its own, so back and reload keep it). */
export function openAdmin(section: AdminSection = 'people'): void {
  location.hash = `#/admin/${section}`;
  adminRoute.value = section;
}

/** Back to the chat. */
export function closeAdmin(): void {
  history.pushState(null, '', location.pathname + location.search);
  adminRoute.value = null;
}
