import { signal } from '@preact/signals';

/** Whether the «Безопасность» dialog (change password, my sessions) is open. */
export const securityOpen = signal(false);
