import { client } from '../state/clientState.ts';

/** An address on this hub (`/hooks/…`, `/invite/…`): the hub the client signed in to, else this page's origin. */
export function hubAddress(path: string): string {
  const base = (client.hubUrl.value ?? location.origin).replace(/\/+$/, '');
  return `${base}${path}`;
}
