// The bench refuses a size the open-file limits cannot hold, counting the reserve the hub's fd
// guard keeps back from WebSockets (at a limit of 20,000 it answers upgrades past 19,000 with 503):
// a run at 19,488 connections under a 20,000 limit used to start and then fail half-way.
import { describe, expect, it } from 'vitest';
import { hubDescriptorsFor, mostConnectionsWithin } from '../../bench/limitsPhase.ts';
import { descriptorReserve } from '../../hub/server/fdGuard.ts';

describe('bench scale limits', () => {
  it('the hub is given room for its connections, its other descriptors and its guard’s reserve', () => {
    for (const connections of [1000, 10_000, 18_488, 50_000]) {
      const limit = hubDescriptorsFor(connections);
      // What the guard admits at that limit covers the connections with room for the rest.
      expect(limit - descriptorReserve(limit)).toBeGreaterThanOrEqual(connections + 512);
      expect(limit - 1 - descriptorReserve(limit - 1)).toBeLessThan(connections + 512);
    }
  });

  it('the most connections under a limit is what that limit holds, and one more is not', () => {
    expect(mostConnectionsWithin(20_000)).toBe(18_488);
    for (const limit of [4096, 20_000, 65_536]) {
      const most = mostConnectionsWithin(limit);
      expect(hubDescriptorsFor(most)).toBeLessThanOrEqual(limit);
      expect(hubDescriptorsFor(most + 1)).toBeGreaterThan(limit);
    }
  });
});
