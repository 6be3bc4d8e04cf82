import { Notification } from 'electron';
import type { NativeImage } from 'electron';
import type { NotificationSpec, Notifier } from '../notify/Notifier.ts';

/** Notifications kept referenced until closed: a collected one loses its click handler. */
const maxLive = 20;

/** {@link Notifier} on Electron's `Notification`. */
export class ElectronNotifier implements Notifier {
  private readonly live = new Set<Notification>();

  constructor(private readonly icon: NativeImage) {}

  isSupported(): boolean {
    return Notification.isSupported();
  }

  show(spec: NotificationSpec, onClick: () => void): void {
    const n = new Notification({ title: spec.title, body: spec.body, icon: this.icon, silent: false });
    const forget = () => this.live.delete(n);
    n.on('click', () => {
      forget();
      onClick();
    });
    n.on('close', forget);
    n.on('failed', forget);
    this.live.add(n);
    if (this.live.size > maxLive) this.live.delete(this.live.values().next().value!);
    n.show();
  }
}
