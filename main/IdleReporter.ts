import type { ClientState } from '../common/client/ClientState.ts';
import type { DesktopClient } from './DesktopClient.ts';
import type { Log } from './log/Log.ts';

/** What an {@link IdleReporter} works with. */
export interface IdleReporterDeps {
  client: Pick<DesktopClient, 'setIdle' | 'setStatus'>;
  log: Log;
  /** The state as the app last heard it from the patches. */
  state(): ClientState;
  /** The state now (fresher than the patches). */
  freshState(): ClientState;
}

/**
 * Tells the hub that the user is idle at this machine or back. With presence idle in the client it
 * reports idleness and leaves the chosen status alone; without it, it shows `away` for a user who
 * was `online` and gives them `online` back, unless they chose a status meanwhile.
 */
export class IdleReporter {
  /** Reports run one after another, so "back" never overtakes "away" on the wire. */
  private chain: Promise<void> = Promise.resolve();
  /** Without presence idle: we set `away` and owe the user their status back. */
  private awaySetByIdle = false;

  constructor(private readonly deps: IdleReporterDeps) {}

  /** Reports the user idle or back (queued behind the reports before it). */
  report(idle: boolean): Promise<void> {
    this.chain = this.chain.then(() => this.send(idle));
    return this.chain;
  }

  /** A new connection starts active: an idle user is reported idle again (presence idle only). */
  connected(idle: boolean): void {
    if (idle && this.deps.client.setIdle) void this.report(true);
  }

  /** The user chose a status, or signed out: an `away` set by idleness is not ours to undo any more. */
  forgetAway(): void {
    this.awaySetByIdle = false;
  }

  private async send(idle: boolean): Promise<void> {
    const { client, log } = this.deps;
    if (this.deps.state().connection === 'signed-out') return;
    try {
      if (client.setIdle) {
        await client.setIdle(idle);
      } else if (idle) {
        // Without presence idle in the client: show `away`, and only if the user was `online`
        // (an explicit away or do-not-disturb stays as chosen).
        if (this.deps.freshState().me?.presence === 'online') {
          this.awaySetByIdle = true;
          await client.setStatus('away');
        }
      } else if (this.awaySetByIdle) {
        this.awaySetByIdle = false;
        // Do-not-disturb chosen meanwhile (e.g. on another device) is not ours to undo.
        if (this.deps.freshState().me?.presence !== 'dnd') await client.setStatus('online');
      }
    } catch (err) {
      log.warn('idle report failed', { idle, error: (err as Error).message });
    }
  }
}
