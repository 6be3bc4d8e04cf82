// The hub tells a connection the presence only of the users it looked up (hub/server/PresenceWatchers.ts).
// The client core shows presence only for users it knows, and after a reconnect looks them all up
// again: what changed while the line was down is current, and later changes are heard on the new line.
import { describe, expect, it } from 'vitest';
import { person } from '../hub/connect.ts';
import { cuttableSocket, fastTuning, signedIn, useClientHub } from './clientHarness.ts';
import { WebSocket } from 'ws';

const { hub, track } = useClientHub();

describe('presence of the people a client shows', () => {
  it('is heard live, is current again after the line was cut, and is heard again on the new line', async () => {
    let cutNext = false;
    let lines = 0;
    const gleb = track(
      await signedIn(hub, 'gleb', {
        tuning: fastTuning,
        createSocket: (url, protocols) => {
          lines++;
          return cuttableSocket(new WebSocket(url, protocols), {
            // Cut at the first presence frame after cutNext is set: that change is lost with the line.
            cutsAt: (frame) => cutNext && frame.includes('"type":"presence'),
            afterCut: () => (cutNext = false),
          });
        },
      }),
    );
    const dina = await person(hub, 'dina', 'Дина');
    // Dina writes to Gleb: his client learns of her (a direct peer) and looks her up.
    await dina.socket.request('direct.open', { userId: gleb.id });
    await gleb.until((s) => s.users[dina.id]?.presence === 'online', 'gleb knows dina, online');

    await dina.socket.request('presence.set', { status: 'dnd' });
    await gleb.until((s) => s.users[dina.id]?.presence === 'dnd', 'gleb hears dnd live');

    cutNext = true;
    const linesBefore = lines;
    await dina.socket.request('presence.set', { status: 'away' });
    // The 'away' frame was dropped with the line; the reconnect's refresh brings it.
    await gleb.until(
      (s) => s.connection === 'connected' && lines > linesBefore && s.users[dina.id]?.presence === 'away',
      'gleb back, dina away',
    );
    expect(cutNext).toBe(false);

    // The new line watches her too: her next change is heard live.
    await dina.socket.request('presence.set', { status: 'online' });
    await gleb.until((s) => s.users[dina.id]?.presence === 'online', 'gleb hears online on the new line');
    dina.socket.close();
  });
});
