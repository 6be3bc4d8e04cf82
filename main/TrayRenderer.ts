import type { ClientState } from '../common/client/ClientState.ts';
import type { DesktopStrings } from './i18n/DesktopStrings.ts';
import { notifyLevel } from '../common/client/classifyMessage.ts';
import type { DesktopSettings } from './settings/DesktopSettings.ts';
import type { SecretProtection } from './storage/SecretStorage.ts';
import type { BadgeView } from './tray/BadgeView.ts';
import { buildTrayMenu } from './tray/buildTrayMenu.ts';
import type { TrayMenuActions, TrayMenuModel } from './tray/buildTrayMenu.ts';
import { badgeSpec, trayIcon, trayIconKey } from './tray/trayImages.ts';
import { trayStatus } from './tray/TrayStatus.ts';
import type { TrayView } from './tray/TrayView.ts';
import type { UpdateMenuModel } from './update/updateMenu.ts';
import type { WindowHandle } from './window/WindowHandle.ts';

/** What a {@link TrayRenderer} shows and where. */
export interface TrayRendererDeps {
  tray: TrayView;
  badge: BadgeView;
  settings: DesktopSettings;
  strings: DesktopStrings;
  secrets: SecretProtection;
  /** The client state as the app last heard it. */
  state(): ClientState;
  /** The window now (the Windows badge overlay belongs to a window). */
  window(): WindowHandle | null;
  /** The end of the mute as the tray shows it (null: not muted). */
  mutedUntil(): string | null;
  autostart(): { value: boolean; locked: boolean };
  /** What the menu's items do (asked for whenever the menu is built again). */
  actions(): TrayMenuActions;
  /** The updater's state for the menu (main/update); none when the app has no updater. */
  update?(): UpdateMenuModel | null;
}

/**
 * Keeps the tray icon, tooltip, menu and taskbar badge in step with the client state and the
 * settings, touching each port only when what it shows has changed.
 */
export class TrayRenderer {
  private lastIconKey = '';
  private lastTooltip = '';
  private lastBadgeKey = '';
  private lastBadgeWindow: WindowHandle | null = null;
  private lastMenuKey = '';

  constructor(private readonly deps: TrayRendererDeps) {}

  /** Shows the state now: icon, tooltip, badge and menu. */
  render(): void {
    const { tray, strings } = this.deps;
    const status = trayStatus(this.deps.state());
    const iconKey = trayIconKey(status);
    if (iconKey !== this.lastIconKey) {
      this.lastIconKey = iconKey;
      tray.setIcon(trayIcon(status));
    }
    const tooltip = strings.tooltip(status, this.deps.mutedUntil());
    if (tooltip !== this.lastTooltip) {
      this.lastTooltip = tooltip;
      tray.setToolTip(tooltip);
    }
    this.renderBadge();
    const model = this.menuModel();
    const menuKey = JSON.stringify(model);
    if (menuKey !== this.lastMenuKey) {
      this.lastMenuKey = menuKey;
      tray.setMenu(buildTrayMenu(model, this.deps.actions(), strings));
    }
  }

  /** Shows the badge (also when only the window changed: a new window needs its overlay again). */
  renderBadge(): void {
    const status = trayStatus(this.deps.state());
    const spec = badgeSpec(status, this.deps.strings);
    const key = `${spec.count}:${spec.mention}:${spec.description}`;
    // The Windows overlay belongs to a window: a new window needs it again.
    const window = this.deps.window();
    if (key === this.lastBadgeKey && window === this.lastBadgeWindow) return;
    this.lastBadgeKey = key;
    this.lastBadgeWindow = window;
    this.deps.badge.show(spec, window);
  }

  private menuModel(): TrayMenuModel {
    const s = this.deps.settings;
    const state = this.deps.state();
    const chosen = state.me?.presence;
    return {
      signedIn: state.connection !== 'signed-out' && state.me !== null,
      status: chosen === 'online' || chosen === 'away' || chosen === 'dnd' ? chosen : null,
      mutedUntil: this.deps.mutedUntil(),
      autostart: this.deps.autostart(),
      flash: s.get('flash'),
      preview: s.get('notificationPreview'),
      reactions: s.get('reactionNotify'),
      rooms: Object.values(state.conversations)
        .filter((c) => c.kind !== 'direct' && !c.archived)
        .sort((a, b) => b.lastTs - a.lastTs || a.id - b.id)
        .map((c) => ({ id: c.id, name: c.name, level: notifyLevel(c) })),
      secrets: this.deps.secrets,
      update: this.deps.update?.() ?? null,
    };
  }
}
