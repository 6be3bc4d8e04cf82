import * as v from 'valibot';
import type { Hub } from '../ops/Hub.ts';

const command = <S extends v.GenericSchema, R>(args: S, run: (hub: Hub, args: v.InferOutput<S>) => Promise<R>) => ({
  args,
  run,
});

const Channel = v.pipe(v.string(), v.minLength(1), v.maxLength(40));
const Version = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
const Percent = v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.maxValue(100));
const Branches = v.pipe(v.array(v.pipe(v.string(), v.maxLength(64))), v.maxLength(200));

/**
 * Desktop releases (issue 21, hub/ops/Releases.ts): `beseda-hub release add|list|rollout|remove`
 * and `release.status` (which versions are in use: the console's «Версии приложения»).
 * `release.add` takes the files the CLI copied into `DATA/releases/incoming/<staged>`: the hub
 * itself checks them against the feed, so a file never reaches the feed unverified.
 */
export const releaseAdminCommands = {
  'release.add': command(
    v.object({
      channel: Channel,
      staged: v.pipe(v.string(), v.regex(/^add-[A-Za-z0-9]{6}$/)),
      rollout: v.optional(Percent),
      branches: v.optional(Branches),
      builtFor: v.optional(v.nullable(v.pipe(v.string(), v.minLength(1), v.maxLength(64)))),
    }),
    (hub, a) => hub.releases.add(a),
  ),
  'release.list': command(v.object({ channel: v.optional(Channel) }), async (hub, a) => ({
    releases: await hub.releases.list(a.channel),
  })),
  'release.rollout': command(
    v.object({ channel: Channel, version: Version, rollout: v.optional(Percent), branches: v.optional(Branches) }),
    (hub, a) => hub.releases.setRollout(a),
  ),
  'release.remove': command(v.object({ channel: Channel, version: Version }), (hub, a) => hub.releases.remove(a)),
  'release.status': command(v.object({}), (hub) => hub.releases.versionsInUse()),
} as const;
