import { HubError } from '../ops/HubError.ts';
import type { CliCommand } from './CliCommand.ts';
import { printLine } from './cliText.ts';

/** `files status|collect`: file storage use, and collecting unused uploads now. */
export const filesCommands: CliCommand[] = [
  {
    words: ['files', 'status'],
    summary: 'File storage use: uploads, stored files, bytes and the limit.',
    options: {},
    async run({ admin }) {
      const h = await admin('files.status', {});
      const limit = h.maxTotalBytes === null ? 'no total limit' : `limit ${h.maxTotalBytes} bytes`;
      printLine(`${h.files} uploads, ${h.blobs} stored files, ${h.bytes} bytes (${limit}).`);
      return 0;
    },
  },
  {
    words: ['files', 'collect'],
    summary:
      'Removes uploads never sent for N hours and stored files nothing refers to\n' + '(the hub also does it hourly).',
    options: {
      'unattached-hours': {
        type: 'string',
        value: 'N',
        help: 'how long an upload may wait to be sent (default 24)',
      },
    },
    async run({ values, admin }) {
      const raw = values['unattached-hours'];
      const hours = typeof raw === 'string' ? Number(raw) : 24;
      if (!Number.isFinite(hours) || hours < 0 || raw === '')
        throw new HubError('bad_request', '--unattached-hours takes a number of hours (0 or more)');
      const r = await admin('files.collect', { unattachedForMs: Math.round(hours * 3_600_000) });
      printLine(`Removed ${r.files} uploads never sent, and ${r.blobs} stored files (${r.bytes} bytes).`);
      return 0;
    },
  },
];
