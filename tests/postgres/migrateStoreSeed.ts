import type { Actor } from '../../hub/ops/Hub.ts';
import type { SqliteHub } from '../../hub/ops/SqliteHub.ts';
import type { TestHub } from '../hub-core/harness.ts';
import { cid } from '../hub-core/harness.ts';

/** What {@link seedHub} made, for the checks after the move. */
export interface Seeded {
  anna: Actor;
  boris: Actor;
  /** Anna's session token from before the move: it must still sign her in on PostgreSQL. */
  annaToken: string;
  annaPassword: string;
  room: number;
  direct: number;
  /** The bot's API token (authenticateIntegration). */
  botToken: string;
  hookSecret: string;
}

/**
 * Fills a hub through its real operations with something in every table SQLite has: people
 * (with a branch and an external id), sessions, an invitation, rooms, a DM, a branch room,
 * messages with edits, deletes, reactions, replies, forwards, pins, files, mentions, read markers,
 * a bot with a callback (its delivery queue), buttons clicked, a slash command, a hook, an
 * announcement confirmed, an embed link, releases and desktop installs, the audit log, and someone
 * connected (the stop keeps who was online).
 */
export async function seedHub(t: TestHub, callbackUrl: string): Promise<Seeded> {
  const { hub } = t;
  const admin = await t.user('admin', { isAdmin: true });
  const annaPassword = 'pw-anna-secret';
  await hub.createUser({ login: 'anna', name: 'Анна Петрова', password: annaPassword, branch: 'Казань' });
  const annaLogin = await hub.login('anna', annaPassword, '10.0.0.5');
  const anna = annaLogin.actor;
  const boris = await t.user('boris', { name: 'Борис Ёлкин' });
  await hub.createUser({ login: 'vera', name: 'Вера', password: 'pw-vera-secret' });
  await hub.invitations.invite('vera', 'test');

  const room = (await hub.createRoom(anna, { name: 'Склад', kind: 'closed', members: [boris.userId] })).id;
  const direct = (await hub.openDirect(anna, { userId: boris.userId })).id;
  let n = 0;
  const say = (who: Actor, conversationId: number, text: string, more: object = {}) =>
    hub.send(who, { conversationId, clientId: cid(`m${++n}`), text, ...more });

  const first = await say(anna, room, 'Привет, склад! Накладная №42 готова');
  const second = await say(boris, room, `@anna принял, спасибо`, { replyTo: first.seq });
  await hub.editMessage(anna, { clientId: cid('e1'), seq: first.seq, text: 'Привет, склад! Накладная №43 готова' });
  await hub.react(boris, { clientId: cid('r1'), seq: first.seq, emoji: '👍', on: true });
  await hub.react(anna, { clientId: cid('r2'), seq: first.seq, emoji: '👍', on: true });
  await hub.react(anna, { clientId: cid('r3'), seq: first.seq, emoji: '🎉', on: true });
  await hub.react(boris, { clientId: cid('r4'), seq: second.seq, emoji: '❤️', on: true });
  await hub.pin(anna, { clientId: cid('p1'), seq: first.seq, pinned: true });
  const gone = await say(boris, room, 'это сообщение будет удалено');
  await hub.deleteMessage(boris, { clientId: cid('d1'), seq: gone.seq });
  await say(anna, direct, 'Личное сообщение Борису');
  await say(boris, direct, 'Ответ Анне', { forward: first.seq, text: '' });
  await say(admin, 1, 'Общий чат: добро пожаловать, zebra-unique-word');

  const bytes = Buffer.from('накладная: 10 коробок\n');
  const file = await hub.files.upload(anna, {
    name: 'накладная.txt',
    declaredType: 'text/plain',
    length: bytes.length,
    body: (async function* () {
      yield bytes;
    })(),
  });
  await say(anna, room, 'Файл накладной', { files: [file.id] });
  await hub.markRead(boris, { conversationId: room, seq: second.seq });
  await hub.setNotify(anna, { conversationId: room, notify: 'mentions' });

  const { token: botToken } = await hub.addBot({ login: 'onec', name: '1С', rooms: ['Склад'], canEmbed: true });
  await hub.callbacks.setCallback('onec', { url: callbackUrl });
  const bot = (await hub.authenticateIntegration(botToken))!;
  const withButton = await hub.postMessage(bot, {
    to: 'Склад',
    text: 'Согласовать заказ?',
    actions: [{ id: 'ok', label: 'Да', value: 'yes' }],
  });
  await hub.buttons.click(anna, { conversationId: room, seq: withButton.seq, actionId: 'ok', clientId: cid('c1') });
  await hub.commands.add({ name: 'stock', bot: 'onec', description: 'Остатки', usage: 'АРТИКУЛ' });
  await hub.createEmbedLink(bot, { login: 'boris' });

  const { secret: hookSecret } = await hub.addHook({ room: 'Склад', name: 'Zabbix' });
  await hub.postToHook(hookSecret, { text: 'диск заполнен на 91%' });
  const notice = await hub.announce(null, { to: 'all', text: 'Собрание в 15:00', from: 'admin' });
  await hub.confirmAnnouncement(boris, { seq: notice.seq });
  await hub.announce(null, { to: 'branch:Казань', text: 'Казань: инвентаризация', from: 'admin' });

  const store = (hub as SqliteHub).store;
  const build = {
    platform: 'win' as const,
    builtFor: null,
    ymlName: 'latest.yml',
    yml: 'version: 1.2.0\n',
    dir: 'win',
  };
  await store.releases.addBuilds(
    'stable',
    '1.2.0',
    { percent: 50, branches: ['Казань'] },
    [{ ...build, files: [{ name: 'Beseda-Setup-1.2.0.exe', size: 1234, sha512: 'abc==' }] }],
    1_700_000_000_000,
  );
  await hub.releases.feed(anna, 'stable', 'win', 'latest.yml', {
    installId: '0123456789abcdef',
    version: '1.1.0',
    branch: 'Казань',
    pin: null,
  });
  // Connected when the hub stops: the stop keeps her as online (presence_at_stop).
  await hub.connect(anna, 'seed-connection');
  return { anna, boris, annaToken: annaLogin.token, annaPassword, room, direct, botToken, hookSecret };
}
