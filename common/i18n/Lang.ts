/**
 * The languages Beseda is shown in: Russian (the organisation's language and the source of every
 * string) and English. The web client, the desktop app's window and its tray all use these.
 */
export type Lang = 'ru' | 'en';
