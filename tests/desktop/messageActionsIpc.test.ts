import { describe, expect, it } from 'vitest';
import { checkInvoke } from '../../main/ipc/checkInvoke.ts';
import { appEntryUrl } from '../../main/security/appProtocol.ts';

const page = { frameUrl: appEntryUrl, isMainFrame: true };
const file = { name: 'a.png', type: 'image/png', bytes: new Uint8Array([1, 2]) };

describe('IPC checks of the message actions', () => {
  it('accepts well-formed calls', () => {
    const good: [string, unknown[]][] = [
      ['send', [5, 'ответ', undefined, { replyTo: 12 }]],
      ['send', [5, 'ответ', [], { replyTo: 12 }]],
      ['send', [5, '', [file], { replyTo: 12 }]],
      ['send', [5, 'без ответа', undefined, {}]],
      ['forward', [5, 12, 7]],
      ['editMessage', [5, 12, 'новый текст']],
      ['editMessage', [5, 12, '']],
      ['deleteMessage', [5, 12]],
      ['react', [5, 12, '👍', true]],
      ['react', [5, 12, '👍🏽', false]],
      ['react', [5, 12, '👨‍👩‍👧', true]],
      ['pin', [5, 12, true]],
      ['loadPins', [5]],
      ['showMessage', [5, 12]],
      ['dismissChangeError', [5, 12]],
      ['updateRoom', [4, { pinRule: 'owners' }]],
      ['updateRoom', [4, { name: 'Склад', pinRule: 'members' }]],
    ];
    for (const [method, args] of good)
      expect(checkInvoke(page, method, args), `${method} ${JSON.stringify(args)}`).toMatchObject({ ok: true, method });
  });

  it('refuses malformed arguments of the new methods', () => {
    const bad: [string, unknown[]][] = [
      ['send', [5, 'x', undefined, { replyTo: 0 }]],
      ['send', [5, 'x', undefined, { replyTo: '12' }]],
      ['send', [5, 'x', undefined, { replyTo: 12, forward: 3 }]],
      ['send', [5, 'x', undefined, { replyTo: 12 }, 'extra']],
      ['send', [5, 'x', Array.from({ length: 21 }, () => file), {}]],
      ['forward', [5, 12]],
      ['forward', [5, 12, 0]],
      ['forward', [5, 12, 7, 8]],
      ['editMessage', [5, 0, 'x']],
      ['editMessage', [5, 12]],
      ['editMessage', [5, 12, 'x'.repeat(65537)]],
      ['editMessage', [5, 12, { text: 'x' }]],
      ['deleteMessage', [5]],
      ['deleteMessage', [5, -1]],
      ['react', [5, 12, 'a', true]],
      ['react', [5, 12, '👍👍', true]],
      ['react', [5, 12, '<img src=x>', true]],
      ['react', [5, 12, '👍']],
      ['react', [5, 12, '👍', 'yes']],
      ['pin', [5, 12]],
      ['pin', [5, 12, 1]],
      ['loadPins', []],
      ['loadPins', ['5']],
      ['showMessage', [5, 1.5]],
      ['dismissChangeError', [5]],
      ['updateRoom', [4, { pinRule: 'everyone' }]],
      ['updateRoom', [4, { pinRule: 'owners', owner: 1 }]],
    ];
    for (const [method, args] of bad) {
      const checked = checkInvoke(page, method, args);
      expect(checked.ok, `${method} ${JSON.stringify(args).slice(0, 80)}`).toBe(false);
      // The refusal names where, never the value.
      if (!checked.ok) expect(checked.reason).not.toContain('<img');
    }
  });
});
