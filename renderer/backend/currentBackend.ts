import type { Backend } from '../../common/client/Backend.ts';

let current: Backend | null = null;

/** Sets the backend chosen at start (in-page or desktop IPC). */
export function setBackend(backend: Backend): void {
  current = backend;
}

/** The backend the actions call. */
export function backend(): Backend {
  if (!current) throw new Error('backend not started');
  return current;
}
