import type { Lang } from '../../common/i18n/Lang.ts';
import type { MenuItemSpec } from '../tray/MenuItemSpec.ts';
import type { UpdateStatus } from './UpdateManager.ts';

/** What the update items do (optional: a menu without an updater has none). */
export interface UpdateMenuActions {
  installUpdate?(): void;
  setInstallOnQuit?(on: boolean): void;
}

/** The update items' model: the updater's status in the shell's language. */
export interface UpdateMenuModel extends UpdateStatus {
  lang: Lang;
}

const strings = {
  ru: {
    ready: (v: string) => `Готово обновление ${v}`,
    install: 'Установить обновление и перезапустить',
    onQuit: 'Установить при выходе',
    downloading: (v: string) => `Загружается обновление ${v}…`,
    refused: (v: string) => `Обновление ${v} отклонено: файл повреждён`,
  },
  en: {
    ready: (v: string) => `Update ${v} is ready`,
    install: 'Install update and restart',
    onQuit: 'Install when quitting',
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
