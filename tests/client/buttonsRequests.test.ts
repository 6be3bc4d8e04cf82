// The client core's buttons and slash commands (common/client/BotRequests.ts): one client id per
// click, reused on every retry of a lost answer (so the hub never runs the action twice), the hub's
// refusals not retried, the command list and a command's answer passed on.
import { describe, expect, it } from 'vitest';
import { BotRequests } from '../../common/client/BotRequests.ts';
import { checkInvoke } from '../../main/ipc/checkInvoke.ts';
import { RequestError } from '../../common/client/RequestError.ts';
import type { Timers } from '../../common/client/Timers.ts';

/** Timers that run at once, recording the waits asked for. */
function instantTimers(): Timers & { waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    setTimeout: (handler, ms) => {
      waits.push(ms);
      queueMicrotask(handler);
      return 0;
    },
    clearTimeout: () => undefined,
  };
}

/** A request function answering from a script of failures and results, recording each call. */
function scripted(answers: (RequestError | object)[]) {
  const calls: { type: string; params: Record<string, unknown> }[] = [];
  const request = async (type: string, params: object) => {
    calls.push({ type, params: params as Record<string, unknown> });
    const next = answers.shift();
    if (next instanceof RequestError) throw next;
    return next;
  };
  return { calls, request: request as never };
}

describe('BotRequests', () => {
  it('sends a click with a fresh client id, and a second click with another', async () => {
    const { calls, request } = scripted([{ outcome: 'updated' }, { outcome: 'done' }]);
    const bots = new BotRequests({ request, timers: instantTimers() });
    expect(await bots.messageAction(5, 17, 'approve')).toEqual({ outcome: 'updated' });
    expect(await bots.messageAction(5, 17, 'approve')).toEqual({ outcome: 'done' });
    expect(calls.map((c) => c.type)).toEqual(['message.action', 'message.action']);
    expect(calls[0]!.params).toMatchObject({ conversationId: 5, seq: 17, actionId: 'approve' });
    expect(calls[0]!.params.clientId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(calls[1]!.params.clientId).not.toBe(calls[0]!.params.clientId);
  });

  it('repeats a click whose answer was lost with the SAME client id, then gives the outcome', async () => {
    const { calls, request } = scripted([
      new RequestError('timeout', 'no reply'),
      new RequestError('disconnected', 'socket closed'),
      { outcome: 'ephemeral', text: 'Остаток: 17 шт.' },
    ]);
    const timers = instantTimers();
    const bots = new BotRequests({ request, timers });
    expect(await bots.messageAction(5, 17, 'balance')).toEqual({ outcome: 'ephemeral', text: 'Остаток: 17 шт.' });
    expect(calls).toHaveLength(3);
    expect(new Set(calls.map((c) => c.params.clientId)).size).toBe(1);
    expect(timers.waits).toEqual([1000, 2000]);
  });

  it('does not repeat the hub’s refusals, and gives up after the last retry', async () => {
    for (const code of ['refused', 'already_clicked', 'bot_unavailable', 'forbidden']) {
      const { calls, request } = scripted([new RequestError(code, 'Документ заблокирован')]);
      const bots = new BotRequests({ request, timers: instantTimers() });
      await expect(bots.messageAction(5, 17, 'approve')).rejects.toMatchObject({ code });
      expect(calls).toHaveLength(1);
    }
    const lost = () => new RequestError('offline', 'not connected');
    const { calls, request } = scripted([lost(), lost(), lost(), lost(), { outcome: 'done' }]);
    const bots = new BotRequests({ request, timers: instantTimers() });
    await expect(bots.messageAction(5, 17, 'approve')).rejects.toMatchObject({ code: 'offline' });
    expect(calls).toHaveLength(4);
    expect(new Set(calls.map((c) => c.params.clientId)).size).toBe(1);
  });

  it('lists the commands and runs one (name lower-cased, one client id across retries)', async () => {
    const list = [{ name: '/остаток', usage: '<артикул>', description: 'Остаток', botId: 7 }];
    const { calls, request } = scripted([
      { commands: list },
      new RequestError('timeout', 'no reply'),
      { visibility: 'caller', text: '17 шт.' },
    ]);
    const bots = new BotRequests({ request, timers: instantTimers() });
    expect(await bots.commandsList()).toEqual(list);
    expect(await bots.runCommand(5, '/ОСТАТОК', '12345')).toEqual({ visibility: 'caller', text: '17 шт.' });
    expect(calls[1]!).toMatchObject({
      type: 'command.run',
      params: { conversationId: 5, command: '/остаток', args: '12345' },
    });
    expect(calls[2]!.params.clientId).toBe(calls[1]!.params.clientId);
  });
});

describe('the desktop bridge’s checks of the new calls (main/ipc/checkInvoke)', () => {
  const page = { frameUrl: 'app://beseda/index.html', isMainFrame: true };
  it('lets well-formed clicks, the list and commands through, and refuses the rest', () => {
    expect(checkInvoke(page, 'messageAction', [5, 17, 'approve']).ok).toBe(true);
    expect(checkInvoke(page, 'commandsList', []).ok).toBe(true);
    expect(checkInvoke(page, 'runCommand', [5, '/остаток', '12345']).ok).toBe(true);
    expect(checkInvoke(page, 'messageAction', [5, 17, 'approve', 'client-id']).ok).toBe(false);
    expect(checkInvoke(page, 'messageAction', [5, 17, '<script>']).ok).toBe(false);
    expect(checkInvoke(page, 'runCommand', [5, 'остаток', '12345']).ok).toBe(false);
    expect(checkInvoke(page, 'runCommand', [5, '/остаток', 'x'.repeat(2001)]).ok).toBe(false);
    expect(checkInvoke({ ...page, frameUrl: 'https://evil.example' }, 'commandsList', []).ok).toBe(false);
  });
});
