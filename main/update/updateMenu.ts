import type { Lang } from '../../common/i18n/Lang.ts';
import type { MenuItemSpec } from '../tray/MenuItemSpec.ts';
import type { UpdateStatus } from './UpdateManager.ts';

/** What the update items do (optional: a menu without an updater has none). */
export interface UpdateMenuActions {
  installUpdate?(): void;
  setInstallOnQuit?(on: boolean): void;
  installAt?(hour: number): void;
  cancelInstallAt?(): void;
}

/** The hours offered for «Установить в …»: lunch and the end of the working day. */
export const installHours = [12, 13, 18, 20] as const;

/** The update items' model: the updater's status in the shell's language. */
export interface UpdateMenuModel extends UpdateStatus {
  lang: Lang;
}

const strings = {
  ru: {
    ready: (v: string) => `Готово обновление ${v}`,
    install: 'Установить обновление и перезапустить',
    onQuit: 'Установить при выходе',
    at: 'Установить в…',
    atHour: (h: number) => `${h}:00`,
    cancel: 'Не устанавливать по времени',
    downloading: (v: string) => `Загружается обновление ${v}…`,
    refused: (v: string) => `Обновление ${v} отклонено: файл повреждён`,
  },
  en: {
    ready: (v: string) => `Update ${v} is ready`,
    install: 'Install update and restart',
    onQuit: 'Install when quitting',
    at: 'Install at…',
    atHour: (h: number) => `${h}:00`,
    cancel: 'Do not install at a set time',
    downloading: (v: string) => `Downloading update ${v}…`,
    refused: (v: string) => `Update ${v} refused: the file is damaged`,
  },
} satisfies Record<Lang, unknown>;

/**
 * The tray menu's update items, above «Выход»: nothing while there is nothing to say; while
 * downloading, a line saying so; once downloaded and verified, «Установить обновление и
 * перезапустить» (now) and «Установить при выходе» (the person's choice, remembered); a refused
 * download (its sha512 did not match) is named, so a person can tell IT.
 */
export function updateMenuItems(status: UpdateMenuModel | null, actions: UpdateMenuActions): MenuItemSpec[] {
  if (!status || !actions.installUpdate || !actions.setInstallOnQuit) return [];
  const { installUpdate, setInstallOnQuit } = actions;
  const t = strings[status.lang];
  const version = status?.version ?? '';
  switch (status.phase) {
    case 'ready':
      return [
        { type: 'normal', id: 'update.ready', label: t.ready(version), enabled: false },
        { type: 'normal', id: 'update.install', label: t.install, click: installUpdate },
        ...installAtItems(status, actions, t),
        {
          type: 'checkbox',
          id: 'update.onQuit',
          label: t.onQuit,
          checked: status.installOnQuit,
          click: () => setInstallOnQuit(!status.installOnQuit),
        },
        { type: 'separator' },
      ];
    case 'downloading':
      return [
        { type: 'normal', id: 'update.downloading', label: t.downloading(version), enabled: false },
        { type: 'separator' },
      ];
    case 'refused':
      return [
        { type: 'normal', id: 'update.refused', label: t.refused(version), enabled: false },
        { type: 'separator' },
      ];
    default:
      return [];
  }
}

/** «Установить в…»: a submenu of hours (the chosen one checked) and a way to cancel it. */
function installAtItems(
  status: UpdateMenuModel,
  actions: UpdateMenuActions,
  t: (typeof strings)[Lang],
): MenuItemSpec[] {
  const { installAt, cancelInstallAt } = actions;
  if (!installAt || !cancelInstallAt) return [];
  const chosen = status.installAt === undefined ? null : new Date(status.installAt).getHours();
  const hours: MenuItemSpec[] = installHours.map((h) => ({
    type: 'radio',
    id: `update.at.${h}`,
    label: t.atHour(h),
    checked: chosen === h,
    click: () => installAt(h),
  }));
  const cancel: MenuItemSpec[] =
    chosen === null
      ? []
      : [{ type: 'separator' }, { type: 'normal', id: 'update.at.cancel', label: t.cancel, click: cancelInstallAt }];
  return [{ type: 'submenu', id: 'update.at', label: t.at, submenu: [...hours, ...cancel] }];
}
