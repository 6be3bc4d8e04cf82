import { fileWords, type FileWords } from '../../common/client/messageText.ts';
import type { Lang } from '../../common/i18n/Lang.ts';
import { pickLanguage } from '../../common/i18n/pickLanguage.ts';
import { plural } from '../../common/i18n/plural.ts';
import type { ChosenStatus } from '../../common/protocol/model.ts';
import type { FlashPolicy, RoomNotifyLevel } from '../settings/DesktopSettings.ts';
import type { TrayStatus } from '../tray/TrayStatus.ts';

/**
 * The language of the desktop shell's own texts (tray, menus, notifications): Russian for
 * Russian-speaking systems (and Belarusian or Kazakh ones, whose users read Russian in offices),
 * English otherwise. `preferred` is the OS's language list, most preferred first.
 */
export function pickLocale(preferred: readonly string[]): Lang {
  return pickLanguage(preferred, { ru: 'ru', be: 'ru', kk: 'ru', en: 'en' }, 'en');
}

/** Russian plural form by the shared rule: 1 беседа, 2 беседы, 5 бесед (21 беседа, 11 бесед). */
export function ruPlural(n: number, one: string, few: string, many: string): string {
  return plural('ru', n, { one, few, many, other: many });
}

/** English plural form by the shared rule: 1 message, 0 or 2 messages. */
function enPlural(n: number, one: string, other: string): string {
  return plural('en', n, { one, other });
}

/** Every text the desktop shell shows, in one language. */
export interface DesktopStrings {
  appName: string;
  tooltip(status: TrayStatus, mutedUntil: string | null): string;
  badgeDescription(unread: number, mentions: number): string;
  menu: {
    open: string;
    status: string;
    statuses: Record<ChosenStatus, string>;
    signedOut: string;
    mute: string;
    muteHour: string;
    muteTomorrow: string;
    unmute: string;
    mutedUntil(time: string): string;
    settings: string;
    autostart: string;
    flash: string;
    flashPolicies: Record<FlashPolicy, string>;
    preview: string;
    roomNotifications: string;
    roomLevels: Record<RoomNotifyLevel, string>;
    noRooms: string;
    weakSecrets: string;
    noSecrets: string;
    managedByIt: string;
    quit: string;
  };
  notify: {
    roomTitle(sender: string, room: string): string;
    mentionTitle(sender: string, room: string): string;
    announcement(room: string): string;
    hidden: string;
    noText: string;
    burstTitle(messages: number, conversations: number): string;
    burstOneConversation(messages: number, conversation: string): string;
    burstBody(names: string[]): string;
    closedToTrayTitle: string;
    closedToTrayBody: string;
    /** «📎 Скриншот» / "📎 Screenshot" for a message that is only files (common/client/messageText.ts). */
    files: FileWords;
  };
}

const ru: DesktopStrings = {
  appName: 'Беседа',
  tooltip(s, mutedUntil) {
    const count =
      s.kind === 'signed-out'
        ? ''
        : s.unread === 0
          ? 'нет непрочитанных'
          : `${s.unread} ${ruPlural(s.unread, 'непрочитанное', 'непрочитанных', 'непрочитанных')}` +
            (s.mentions > 0
              ? ` (${s.mentions} ${ruPlural(s.mentions, 'упоминание', 'упоминания', 'упоминаний')})`
              : '');
    const conn =
      s.kind === 'signed-out'
        ? 'вход не выполнен'
        : s.kind !== 'disconnected'
          ? 'подключено'
          : s.connecting
            ? 'подключение…'
            : 'нет связи';
    return `Беседа — ${count ? `${count} · ` : ''}${conn}${mutedUntil ? ` · без звука до ${mutedUntil}` : ''}`;
  },
  badgeDescription: (unread, mentions) =>
    `${unread} ${ruPlural(unread, 'непрочитанное сообщение', 'непрочитанных сообщения', 'непрочитанных сообщений')}` +
    (mentions > 0
      ? `, из них ${mentions} ${ruPlural(mentions, 'упоминание', 'упоминания', 'упоминаний')} или личных`
      : ''),
  menu: {
    open: 'Открыть Беседу',
    status: 'Статус',
    statuses: { online: 'В сети', away: 'Отошёл', dnd: 'Не беспокоить' },
    signedOut: 'Вход не выполнен',
    mute: 'Уведомления',
    muteHour: 'Без звука на 1 час',
    muteTomorrow: 'Без звука до завтра',
    unmute: 'Включить уведомления',
    mutedUntil: (t) => `Выключены до ${t}`,
    settings: 'Настройки',
    autostart: 'Запускать при входе в систему',
    flash: 'Мигать кнопкой на панели задач',
    flashPolicies: { mentions: 'Личные и упоминания', all: 'Все сообщения', never: 'Никогда' },
    preview: 'Показывать текст в уведомлениях',
    roomNotifications: 'Уведомления о комнатах',
    roomLevels: { all: 'Все сообщения', mentions: 'Только упоминания', none: 'Ничего' },
    noRooms: 'Нет комнат',
    weakSecrets: '⚠ Сессия хранится без надёжного шифрования (нет хранилища ключей)',
    noSecrets: '⚠ Сессия хранится без шифрования',
    managedByIt: '(задано администратором)',
    quit: 'Выйти',
  },
  notify: {
    roomTitle: (sender, room) => `${sender} · ${room}`,
    mentionTitle: (sender, room) => `${sender} упоминает вас · ${room}`,
    announcement: (room) => `Объявление · ${room}`,
    hidden: 'Новое сообщение',
    noText: '(без текста)',
    burstTitle: (m, c) =>
      `${m} ${ruPlural(m, 'новое сообщение', 'новых сообщения', 'новых сообщений')} в ${c} ${ruPlural(c, 'беседе', 'беседах', 'беседах')}`,
    burstOneConversation: (m, conv) =>
      `${m} ${ruPlural(m, 'новое сообщение', 'новых сообщения', 'новых сообщений')} · ${conv}`,
    burstBody: (names) => names.join(', '),
    closedToTrayTitle: 'Беседа работает в трее',
    closedToTrayBody: 'Окно закрыто, но вы на связи. Выйти можно из меню значка в трее.',
    files: fileWords.ru,
  },
};

const en: DesktopStrings = {
  appName: 'Beseda',
  tooltip(s, mutedUntil) {
    const count =
      s.kind === 'signed-out'
        ? ''
        : s.unread === 0
          ? 'no unread'
          : `${s.unread} unread` +
            (s.mentions > 0 ? ` (${s.mentions} ${enPlural(s.mentions, 'mention', 'mentions')})` : '');
    const conn =
      s.kind === 'signed-out'
        ? 'signed out'
        : s.kind !== 'disconnected'
          ? 'connected'
          : s.connecting
            ? 'connecting…'
            : 'offline';
    return `Beseda — ${count ? `${count} · ` : ''}${conn}${mutedUntil ? ` · muted until ${mutedUntil}` : ''}`;
  },
  badgeDescription: (unread, mentions) =>
    `${unread} unread ${enPlural(unread, 'message', 'messages')}` +
    (mentions > 0
      ? `, ${mentions} ${enPlural(mentions, 'is a mention or direct message', 'are mentions or direct messages')}`
      : ''),
  menu: {
    open: 'Open Beseda',
    status: 'Status',
    statuses: { online: 'Online', away: 'Away', dnd: 'Do not disturb' },
    signedOut: 'Signed out',
    mute: 'Notifications',
    muteHour: 'Mute for 1 hour',
    muteTomorrow: 'Mute until tomorrow',
    unmute: 'Unmute',
    mutedUntil: (t) => `Muted until ${t}`,
    settings: 'Settings',
    autostart: 'Start at login',
    flash: 'Flash the taskbar button',
    flashPolicies: { mentions: 'Direct messages and mentions', all: 'All messages', never: 'Never' },
    preview: 'Show message text in notifications',
    roomNotifications: 'Room notifications',
    roomLevels: { all: 'All messages', mentions: 'Mentions only', none: 'Nothing' },
    noRooms: 'No rooms',
    weakSecrets: '⚠ The session is stored without strong encryption (no keyring)',
    noSecrets: '⚠ The session is stored unencrypted',
    managedByIt: '(set by your administrator)',
    quit: 'Quit',
  },
  notify: {
    roomTitle: (sender, room) => `${sender} · ${room}`,
    mentionTitle: (sender, room) => `${sender} mentioned you · ${room}`,
    announcement: (room) => `Announcement · ${room}`,
    hidden: 'New message',
    noText: '(no text)',
    burstTitle: (m, c) =>
      `${m} new ${enPlural(m, 'message', 'messages')} in ${c} ${enPlural(c, 'conversation', 'conversations')}`,
    burstOneConversation: (m, conv) => `${m} new ${enPlural(m, 'message', 'messages')} · ${conv}`,
    burstBody: (names) => names.join(', '),
    closedToTrayTitle: 'Beseda is still running',
    closedToTrayBody: 'The window is closed but you stay reachable. Quit from the tray icon’s menu.',
    files: fileWords.en,
  },
};

const tables: Record<Lang, DesktopStrings> = { ru, en };

/** The texts for a language. */
export function desktopStrings(lang: Lang): DesktopStrings {
  return tables[lang];
}
