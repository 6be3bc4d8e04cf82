/** Whether the browser lets the page show desktop notifications; `unsupported`: no Notification API here. */
export type NotifyPermission = 'granted' | 'denied' | 'default' | 'unsupported';

/** One desktop notification. */
export interface WebNotificationSpec {
  title: string;
  body: string;
  /** Same tag, same slot: a conversation's newer notification replaces its older one. */
  tag: string;
}

/**
 * The browser's Notification API behind a small port, so tests (and browsers without it, such as
 * some 1C form hosts) get the same code path with a fake.
 */
export interface NotificationPort {
  permission(): NotifyPermission;
  /** Asks the user (only from a click: browsers ignore requests without a user gesture). */
  request(): Promise<NotifyPermission>;
  /** Shows one notification; `onClick` runs when the user clicks it. */
  show(spec: WebNotificationSpec, onClick: () => void): void;
}

/** The page's own Notification API (unsupported outside a secure context or without the API). */
export function browserNotificationPort(): NotificationPort {
  const api = (): typeof Notification | undefined =>
    typeof Notification === 'function' && window.isSecureContext !== false ? Notification : undefined;
  return {
    permission: () => api()?.permission ?? 'unsupported',
    request: async () => {
      const N = api();
      if (!N) return 'unsupported';
      try {
        return await N.requestPermission();
      } catch {
        return N.permission;
      }
    },
    show: (spec, onClick) => {
      const N = api();
      if (!N || N.permission !== 'granted') return;
      try {
        const n = new N(spec.title, { body: spec.body, tag: spec.tag, lang: document.documentElement.lang });
        n.onclick = () => {
          n.close();
          onClick();
        };
      } catch {
        // Some hosts (Android Chrome, embedded engines) allow the API but not the constructor.
      }
    },
  };
}
