import type { ReleaseSummary } from '../ops/Releases.ts';
import { createStaging, discardStaged, releasesDirOf, stageFiles } from '../releases/ReleaseFolder.ts';
import type { CliCommand, CliContext } from './CliCommand.ts';
import { printLine, printNote } from './cliText.ts';

const out = printLine;

const text = (values: CliContext['values'], name: string): string | undefined => {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
};

/** `--rollout 25` as a number (the hub checks the range); NaN for anything else, which the hub refuses. */
const percent = (values: CliContext['values']): number | undefined => {
  const value = text(values, 'rollout');
  return value === undefined ? undefined : /^\d{1,3}%?$/.test(value.trim()) ? Number.parseInt(value, 10) : Number.NaN;
};

/** `--branches kazan,spb` as a list; `--branches ''` or `none` clears the list. */
const branches = (values: CliContext['values']): string[] | undefined => {
  const value = text(values, 'branches');
  if (value === undefined) return undefined;
  if (value.trim() === '' || value.trim() === 'none') return [];
  return value.split(',').map((b) => b.trim());
};

const rolloutOptions = {
  rollout: { type: 'string', value: 'PERCENT', help: 'share of installs offered it, 0–100 (new release: 100)' },
  branches: {
    type: 'string',
    value: 'B1,B2',
    help: 'branches offered it whatever their share (alone: only these branches); "none" clears',
  },
} as const;

/** Who gets a release, as one phrase: `everyone`, `25% + kazan, spb`, `kazan only`. */
export function rolloutText(r: ReleaseSummary['rollout']): string {
  const list = r.branches?.join(', ');
  if (r.percent >= 100) return 'everyone';
  if (!list) return `${r.percent}%`;
  return r.percent === 0 ? `${list} only` : `${r.percent}% + ${list}`;
}

function printRelease(r: ReleaseSummary): void {
  out(`${r.channel} ${r.version}: ${rolloutText(r.rollout)}`);
  for (const b of r.builds)
    out(
      `  ${b.ymlName.padEnd(20)} ${(b.builtFor ?? 'any branch').padEnd(12)} ${b.files.map((f) => `${f.name} (${f.size} B)`).join(', ')}`,
    );
}

/** `beseda-hub release add|list|rollout|remove` (issue 21): desktop updates served by the hub. */
export const releaseCommands: readonly CliCommand[] = [
  {
    words: ['release', 'add'],
    usage: 'FILE...',
    summary:
      "Adds a desktop release: the installers and electron-builder's latest.yml / latest-linux.yml, checked by size and sha512.",
    options: {
      channel: { type: 'string', value: 'NAME', help: 'the update channel (e.g. stable, beta); required' },
      'built-for': {
        type: 'string',
        value: 'BRANCH',
        help: 'the branch these installers were built for (npm run dist -- --branch): offered to that branch only',
      },
      ...rolloutOptions,
    },
    async run({ positionals, values, admin, config }) {
      const channel = text(values, 'channel');
      if (!channel) {
        out(
          'Usage: beseda-hub release add FILE... --channel NAME [--built-for BRANCH] [--rollout PERCENT] [--branches B1,B2]',
        );
        return 2;
      }
      // The CLI copies the files into the data folder (the hub's service may not read where IT
      // built them); the hub checks them there and moves them into place, or drops them.
      const releasesDir = releasesDirOf(config());
      const staging = await createStaging(releasesDir);
      let result;
      try {
        const { skipped } = await stageFiles(staging.dir, positionals);
        for (const s of skipped) printNote(`skipped ${s}: a folder`);
        const rollout = percent(values);
        const list = branches(values);
        const builtFor = text(values, 'built-for');
        result = await admin('release.add', {
          channel,
          staged: staging.name,
          ...(rollout !== undefined ? { rollout } : {}),
          ...(list !== undefined ? { branches: list } : {}),
          ...(builtFor !== undefined ? { builtFor } : {}),
        });
      } finally {
        await discardStaged(releasesDir, staging.name).catch(() => undefined);
      }
      printRelease(result.release);
      if (result.ignored.length) out(`not kept (named by no feed file): ${result.ignored.join(', ')}`);
      return 0;
    },
  },
  {
    words: ['release', 'list'],
    summary: 'Lists the desktop releases, newest first, with who gets each.',
    options: { channel: { type: 'string', value: 'NAME', help: 'only this channel' } },
    async run({ values, admin }) {
      const channel = text(values, 'channel');
      const { releases } = await admin('release.list', channel !== undefined ? { channel } : {});
      for (const r of releases) printRelease(r);
      out(`${releases.length} releases`);
      return 0;
    },
  },
  {
    words: ['release', 'rollout'],
    usage: 'VERSION',
    summary: 'Changes who is offered a release (widen a staged rollout, or stop it with --rollout 0).',
    options: { channel: { type: 'string', value: 'NAME', help: "the release's channel; required" }, ...rolloutOptions },
    async run({ positionals: [version], values, admin }) {
      const channel = text(values, 'channel');
      if (!version || !channel) {
        out('Usage: beseda-hub release rollout VERSION --channel NAME [--rollout PERCENT] [--branches B1,B2]');
        return 2;
      }
      const rollout = percent(values);
      const list = branches(values);
      const { release } = await admin('release.rollout', {
        channel,
        version,
        ...(rollout !== undefined ? { rollout } : {}),
        ...(list !== undefined ? { branches: list } : {}),
      });
      out(`${release.channel} ${release.version}: ${rolloutText(release.rollout)}`);
      return 0;
    },
  },
  {
    words: ['release', 'remove'],
    usage: 'VERSION',
    summary: 'Removes a desktop release and its files (installs that have it keep it).',
    options: { channel: { type: 'string', value: 'NAME', help: "the release's channel; required" } },
    async run({ positionals: [version], values, admin }) {
      const channel = text(values, 'channel');
      if (!version || !channel) {
        out('Usage: beseda-hub release remove VERSION --channel NAME');
        return 2;
      }
      await admin('release.remove', { channel, version });
      out(`Removed ${channel} ${version}.`);
      return 0;
    },
  },
];
