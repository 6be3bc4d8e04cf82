import type { AdminRoom } from '../ops/RoomAdmin.ts';
import type { CliCommand, CliContext } from './CliCommand.ts';
import { printLine } from './cliText.ts';
import { csvText, utcTime } from './csvText.ts';
import { printCsv } from './userCommands.ts';

const one = (values: CliContext['values'], name: string): string | undefined => {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
};

const logins = (text: string | undefined): string[] | undefined =>
  text
    ?.split(',')
    .map((l) => l.trim())
    .filter((l) => l !== '');

const kindOf = (r: AdminRoom) => (r.kind === 'general' ? 'general' : r.kind);
const ownerOf = (r: AdminRoom) => (r.kind === 'general' ? '' : (r.ownerLogin ?? '(hub)'));

function describe(r: AdminRoom): string {
  const owner = r.kind === 'general' ? '' : `, owner ${ownerOf(r)}`;
  return `"${r.name}" (id ${r.id}, ${kindOf(r)}${owner}, ${r.memberCount} members${r.archived ? ', archived' : ''})`;
}

/** The room commands: `room add|list|archive|unarchive|rename` (IT's, acting as the administration). */
export const roomCommands: CliCommand[] = [
  {
    words: ['room', 'add'],
    usage: 'NAME',
    summary:
      'Creates a room. Without --owner the hub manages it (administrators rename it and\n' +
      'remove people); system messages name the first administrator.',
    options: {
      topic: { type: 'string', value: '"TEXT"', help: "the room's topic" },
      owner: { type: 'string', value: 'LOGIN', help: 'who owns it (default: nobody, the hub manages it)' },
      members: { type: 'string', value: 'LOGIN,LOGIN', help: 'people put in it (comma-separated)' },
      closed: { type: 'boolean', help: 'invitation only (default: open, anyone may join)' },
    },
    async run({ positionals: [name], values, admin }) {
      const { room } = await admin('room.add', {
        name: name!,
        topic: one(values, 'topic'),
        owner: one(values, 'owner'),
        members: logins(one(values, 'members')),
        closed: values.closed === true,
      });
      printLine(`Created room ${describe(room)}.`);
      return 0;
    },
  },
  {
    words: ['room', 'list'],
    summary: 'Lists the rooms: id, name, kind, members, owner, created, last message (UTC).',
    options: {
      archived: { type: 'boolean', help: 'archived rooms too' },
      csv: { type: 'boolean', help: 'CSV for Excel instead: ";"-separated, UTF-8 with BOM, times in UTC' },
    },
    async run({ values, admin }) {
      const { rooms } = await admin('room.list', { archived: values.archived === true });
      if (values.csv === true) printCsv(roomsCsv(rooms));
      else printRooms(rooms);
      return 0;
    },
  },
  {
    words: ['room', 'archive'],
    usage: 'NAME|ID',
    summary:
      'Archives a room: kept with its history, read-only for its members, out of the\n' +
      'directory, its name free for a new room.',
    options: {},
    async run({ positionals: [ref], admin }) {
      const { room } = await admin('room.archive', { room: ref! });
      printLine(`Archived room ${describe(room)}. Bring it back with: beseda-hub room unarchive ${room.id}`);
      return 0;
    },
  },
  {
    words: ['room', 'unarchive'],
    usage: 'NAME|ID',
    summary: 'Brings an archived room back (refused while an active room has its name).',
    options: {},
    async run({ positionals: [ref], admin }) {
      const { room } = await admin('room.unarchive', { room: ref! });
      printLine(`Room ${describe(room)} is active again.`);
      return 0;
    },
  },
  {
    words: ['room', 'rename'],
    usage: 'NAME|ID NEW',
    summary: 'Renames a room (the general room too); its members see the new name at once.',
    options: {},
    async run({ positionals: [ref, name], admin }) {
      const { room } = await admin('room.rename', { room: ref!, name: name! });
      printLine(`Renamed: now ${describe(room)}.`);
      return 0;
    },
  },
];

/** `room list --csv`. */
export function roomsCsv(rooms: readonly AdminRoom[]): string {
  return csvText(
    ['id', 'name', 'kind', 'members', 'owner', 'created_utc', 'last_message_utc', 'archived', 'topic'],
    rooms.map((r) => [
      r.id,
      r.name,
      kindOf(r),
      r.memberCount,
      ownerOf(r),
      utcTime(r.createdAt),
      utcTime(r.lastMessageAt),
      r.archived ? 'yes' : 'no',
      r.topic,
    ]),
  );
}

function printRooms(rooms: readonly AdminRoom[]): void {
  printLine(
    [
      'ID'.padStart(5),
      'NAME'.padEnd(28),
      'KIND'.padEnd(7),
      'MEMBERS'.padStart(7),
      'OWNER'.padEnd(16),
      'CREATED (UTC)'.padEnd(19),
      'LAST MESSAGE (UTC)'.padEnd(19),
      'ARCHIVED',
    ].join(' '),
  );
  for (const r of rooms)
    printLine(
      [
        String(r.id).padStart(5),
        r.name.slice(0, 28).padEnd(28),
        kindOf(r).padEnd(7),
        String(r.memberCount).padStart(7),
        ownerOf(r).slice(0, 16).padEnd(16),
        utcTime(r.createdAt).padEnd(19),
        (r.lastMessageAt === null ? 'none' : utcTime(r.lastMessageAt)).padEnd(19),
        r.archived ? 'yes' : 'no',
      ].join(' '),
    );
  printLine(`${rooms.length} rooms`);
}
