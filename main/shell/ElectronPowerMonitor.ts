import { net, powerMonitor } from 'electron';
import type { PowerEvent, PowerMonitor } from '../presence/PowerMonitor.ts';

/** {@link PowerMonitor} on Electron's `powerMonitor` and `net.online`. */
export const electronPowerMonitor: PowerMonitor = {
  idleSeconds: () => powerMonitor.getSystemIdleTime(),
  isOnline: () => net.online,
  on: (event: PowerEvent, listener: () => void) => {
    switch (event) {
      case 'suspend':
        powerMonitor.on('suspend', listener);
        break;
      case 'resume':
        powerMonitor.on('resume', listener);
        break;
      case 'lock-screen':
        powerMonitor.on('lock-screen', listener);
        break;
      case 'unlock-screen':
        powerMonitor.on('unlock-screen', listener);
        break;
    }
  },
};
