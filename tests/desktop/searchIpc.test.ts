// The desktop bridge's checks of search and of windows opened around a message (issue 14): the
// renderer is untrusted, so only the shapes the UI sends pass to the main process's client core.
import { describe, expect, it } from 'vitest';
import { checkInvoke } from '../../main/ipc/checkInvoke.ts';
import { appEntryUrl } from '../../main/security/appProtocol.ts';

const page = { frameUrl: appEntryUrl, isMainFrame: true };

describe('IPC checks of search, loadNewer and jumpToLatest', () => {
  it('accepts what the search panel and the message list send', () => {
    const good: [string, unknown[]][] = [
      ['search', [{ query: 'акт' }]],
      ['search', [{ query: 'акт', limit: 20 }]],
      [
        'search',
        [
          {
            query: '"акт сверки" март*',
            limit: 20,
            conversationId: 5,
            fromUserId: 7,
            since: 1_700_000_000_000,
            until: 1_700_086_400_000,
            hasFiles: true,
            beforeSeq: 1234,
          },
        ],
      ],
      ['loadNewer', [5]],
      ['jumpToLatest', [5]],
    ];
    for (const [method, args] of good)
      expect(checkInvoke(page, method, args), `${method} ${JSON.stringify(args)}`).toMatchObject({ ok: true, method });
  });

  it('refuses anything else', () => {
    const bad: [string, unknown[]][] = [
      ['search', []],
      ['search', ['акт']],
      ['search', [{ query: '' }]],
      ['search', [{ query: 'x'.repeat(201) }]],
      ['search', [{ query: 'акт', limit: 51 }]],
      ['search', [{ query: 'акт', limit: 0 }]],
      ['search', [{ query: 'акт', conversationId: 0 }]],
      ['search', [{ query: 'акт', since: -1 }]],
      ['search', [{ query: 'акт', hasFiles: 'yes' }]],
      ['search', [{ query: 'акт', beforeSeq: 1.5 }]],
      ['search', [{ query: 'акт', sql: 'drop table' }]],
      ['search', [{ query: 'акт' }, 'extra']],
      ['loadNewer', []],
      ['loadNewer', ['5']],
      ['loadNewer', [5, 6]],
      ['jumpToLatest', [0]],
      ['jumpToLatest', [null]],
    ];
    for (const [method, args] of bad)
      expect(checkInvoke(page, method, args), `${method} ${JSON.stringify(args)}`).toMatchObject({ ok: false });
  });
});
