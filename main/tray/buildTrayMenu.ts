import type { ChosenStatus } from '../../common/protocol/model.ts';
import type { DesktopStrings } from '../i18n/DesktopStrings.ts';
import type { FlashPolicy, RoomNotifyLevel } from '../settings/DesktopSettings.ts';
import type { SecretProtection } from '../storage/SecretStorage.ts';
import type { MenuItemSpec } from './MenuItemSpec.ts';
import { updateMenuItems, type UpdateMenuModel } from '../update/updateMenu.ts';

/** What the tray menu shows. */
export interface TrayMenuModel {
  signedIn: boolean;
  /** The user's status as the menu's radio shows it (null when signed out or unknown). */
  status: ChosenStatus | null;
  /** Muted until this formatted time; null when not muted. */
  mutedUntil: string | null;
  autostart: { value: boolean; locked: boolean };
  flash: FlashPolicy;
  preview: boolean;
  /** Reactions to the user's messages in direct conversations are notified. */
  reactions: boolean;
  /** The user's rooms, most recently active first. */
  rooms: { id: number; name: string; level: RoomNotifyLevel }[];
  secrets: SecretProtection;
  /** A downloaded, downloading or refused update (main/update): its items above «Выход». */
  update?: UpdateMenuModel | null;
}

/** What the menu's items do. */
export interface TrayMenuActions {
  open(): void;
  setStatus(status: ChosenStatus): void;
  /** Mutes notifications for this many minutes (the «Не беспокоить на…» durations). */
  muteFor(minutes: number): void;
  muteTomorrow(): void;
  unmute(): void;
  setAutostart(on: boolean): void;
  setFlash(policy: FlashPolicy): void;
  setPreview(on: boolean): void;
  setReactions(on: boolean): void;
  setRoomLevel(conversationId: number, level: RoomNotifyLevel): void;
  /** «Установить обновление и перезапустить». */
  installUpdate?(): void;
  /** «Установить при выходе». */
  setInstallOnQuit?(on: boolean): void;
  /** «Установить в…»: at the next such hour, local time; or not. */
  installAt?(hour: number): void;
  cancelInstallAt?(): void;
  quit(): void;
}

/** The «Не беспокоить на…» durations in minutes, with their menu ids (`mute.hour` kept from older menus). */
export const muteDurations = [
  { id: 'mute.30m', minutes: 30 },
  { id: 'mute.hour', minutes: 60 },
  { id: 'mute.2h', minutes: 120 },
] as const;

/** At most this many rooms get their own notification submenu (most recent first). */
export const menuRoomLimit = 25;

/**
 * The tray menu: Open; status; «Не беспокоить на…» (30 minutes, 1 hour, 2 hours, until tomorrow,
 * off); settings (autostart, taskbar flashing, message preview, reactions in direct conversations,
 * per-room notification levels, a warning when the session cannot be stored encrypted); Quit. Linux trays often cannot report clicks, so everything
 * is reachable from here.
 */
export function buildTrayMenu(model: TrayMenuModel, actions: TrayMenuActions, t: DesktopStrings): MenuItemSpec[] {
  const m = t.menu;
  const statuses: ChosenStatus[] = ['online', 'away', 'dnd'];
  const items: MenuItemSpec[] = [
    { type: 'normal', id: 'open', label: m.open, click: actions.open },
    { type: 'separator' },
  ];

  if (model.signedIn)
    items.push({
      type: 'submenu',
      id: 'status',
      label: `${m.status}: ${model.status ? m.statuses[model.status] : '—'}`,
      submenu: statuses.map((s) => ({
        type: 'radio' as const,
        id: `status.${s}`,
        label: m.statuses[s],
        checked: model.status === s,
        click: () => actions.setStatus(s),
      })),
    });
  else items.push({ type: 'normal', id: 'signed-out', label: m.signedOut, enabled: false });

  items.push({
    type: 'submenu',
    id: 'mute',
    label: model.mutedUntil ? m.mutedUntil(model.mutedUntil) : m.mute,
    submenu: [
      ...muteDurations.map(({ id, minutes }) => ({
        type: 'normal' as const,
        id,
        label: minutes === 30 ? m.muteHalfHour : minutes === 60 ? m.muteHour : m.muteTwoHours,
        click: () => actions.muteFor(minutes),
      })),
      { type: 'normal', id: 'mute.tomorrow', label: m.muteTomorrow, click: actions.muteTomorrow },
      { type: 'normal', id: 'mute.off', label: m.unmute, enabled: model.mutedUntil !== null, click: actions.unmute },
    ],
  });

  const flashPolicies: FlashPolicy[] = ['mentions', 'all', 'never'];
  const levels: RoomNotifyLevel[] = ['all', 'mentions', 'none'];
  const settings: MenuItemSpec[] = [
    {
      type: 'checkbox',
      id: 'settings.autostart',
      label: model.autostart.locked ? `${m.autostart} ${m.managedByIt}` : m.autostart,
      checked: model.autostart.value,
      enabled: !model.autostart.locked,
      click: () => actions.setAutostart(!model.autostart.value),
    },
    {
      type: 'submenu',
      id: 'settings.flash',
      label: m.flash,
      submenu: flashPolicies.map((p) => ({
        type: 'radio' as const,
        id: `settings.flash.${p}`,
        label: m.flashPolicies[p],
        checked: model.flash === p,
        click: () => actions.setFlash(p),
      })),
    },
    {
      type: 'checkbox',
      id: 'settings.preview',
      label: m.preview,
      checked: model.preview,
      click: () => actions.setPreview(!model.preview),
    },
    {
      type: 'checkbox',
      id: 'settings.reactions',
      label: m.reactions,
      checked: model.reactions,
      click: () => actions.setReactions(!model.reactions),
    },
    {
      type: 'submenu',
      id: 'settings.rooms',
      label: m.roomNotifications,
      enabled: model.signedIn,
      submenu: model.rooms.length
        ? model.rooms.slice(0, menuRoomLimit).map((room) => ({
            type: 'submenu' as const,
            id: `settings.rooms.${room.id}`,
            label: room.name,
            submenu: levels.map((level) => ({
              type: 'radio' as const,
              id: `settings.rooms.${room.id}.${level}`,
              label: m.roomLevels[level],
              checked: room.level === level,
              click: () => actions.setRoomLevel(room.id, level),
            })),
          }))
        : [{ type: 'normal' as const, id: 'settings.rooms.none', label: m.noRooms, enabled: false }],
    },
  ];
  if (model.secrets !== 'encrypted')
    settings.push(
      { type: 'separator' },
      {
        type: 'normal',
        id: 'settings.secrets',
        label: model.secrets === 'weak' ? m.weakSecrets : m.noSecrets,
        enabled: false,
      },
    );
  items.push(
    { type: 'submenu', id: 'settings', label: m.settings, submenu: settings },
    { type: 'separator' },
    ...updateMenuItems(model.update ?? null, actions),
    { type: 'normal', id: 'quit', label: m.quit, click: actions.quit },
  );
  return items;
}
