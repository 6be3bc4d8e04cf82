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
    /** «Не беспокоить на…»: the local mute's submenu. */
    mute: string;
    muteHalfHour: string;
    muteHour: string;
    muteTwoHours: string;
    muteTomorrow: string;
    unmute: string;
    mutedUntil(time: string): string;
    settings: string;
    autostart: string;
    flash: string;
    flashPolicies: Record<FlashPolicy, string>;
    preview: string;
    /** Notify reactions to the user's messages in direct conversations (off by default). */
    reactions: string;
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
    /** A reaction to the user's message in a direct conversation: `emoji` and the message's text. */
    reaction(emoji: string, text: string): string;
    /** The same with previews off. */
    reactionHidden: string;
  };
  /** The one summary of what came while the app was closed or the machine slept. */
  away: {
    title(messages: number, conversations: number, mentions: number): string;
    /** The conversations, the most important first. */
    body(names: string[]): string;
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
    mute: 'Не беспокоить на…',
    muteHalfHour: '30 минут',
    muteHour: '1 час',
    muteTwoHours: '2 часа',
    muteTomorrow: 'До завтра',
    unmute: 'Выключить',
    mutedUntil: (t) => `Не беспокоить до ${t}`,
    settings: 'Настройки',
    autostart: 'Запускать при входе в систему',
    flash: 'Мигать кнопкой на панели задач',
    flashPolicies: { mentions: 'Личные и упоминания', all: 'Все сообщения', never: 'Никогда' },
    preview: 'Показывать текст в уведомлениях',
    reactions: 'Уведомлять о реакциях в личных беседах',
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
    reaction: (emoji, text) => `${emoji} на ваше сообщение «${text}»`,
    reactionHidden: 'Реакция на ваше сообщение',
  },
  away: {
    title: (m, c, mentions) =>
      `Пока вас не было: ${m} ${ruPlural(m, 'сообщение', 'сообщения', 'сообщений')} в ${c} ${ruPlural(c, 'разговоре', 'разговорах', 'разговорах')}` +
      (mentions > 0 ? `, ${mentions} ${ruPlural(mentions, 'упоминание', 'упоминания', 'упоминаний')}` : ''),
    body: (names) => names.join(', '),
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
    mute: 'Do not disturb for…',
    muteHalfHour: '30 minutes',
    muteHour: '1 hour',
    muteTwoHours: '2 hours',
    muteTomorrow: 'Until tomorrow',
    unmute: 'Turn off',
    mutedUntil: (t) => `Do not disturb until ${t}`,
    settings: 'Settings',
    autostart: 'Start at login',
    flash: 'Flash the taskbar button',
    flashPolicies: { mentions: 'Direct messages and mentions', all: 'All messages', never: 'Never' },
    preview: 'Show message text in notifications',
    reactions: 'Notify reactions in direct messages',
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
    reaction: (emoji, text) => `${emoji} to your message “${text}”`,
    reactionHidden: 'Reacted to your message',
  },
  away: {
    title: (m, c, mentions) =>
      `While you were away: ${m} ${enPlural(m, 'message', 'messages')} in ${c} ${enPlural(c, 'conversation', 'conversations')}` +
      (mentions > 0 ? `, ${mentions} ${enPlural(mentions, 'mention', 'mentions')}` : ''),
    body: (names) => names.join(', '),
  },
};

const tables: Record<Lang, DesktopStrings> = { ru, en };

/** The texts for a language. */
export function desktopStrings(lang: Lang): DesktopStrings {
  return tables[lang];
}
