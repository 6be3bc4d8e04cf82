import type { TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';

/** A signed-in test user with one open socket. */
export interface Person {
  id: number;
  login: string;
  password: string;
  token: string;
  socket: TestSocket;
  generalId: number;
}

/**
 * Creates a user, signs in and opens a socket. `watchedBy` look the new user up first (`users.get`),
 * as a client does for the people it shows: the hub tells a connection the presence only of users
 * it looked up.
 */
export async function person(
  hub: TestHub,
  login: string,
  name = login,
  watchedBy: readonly { socket: TestSocket }[] = [],
): Promise<Person> {
  const u = await hub.addUser(login, name);
  for (const w of watchedBy) await w.socket.request('users.get', { ids: [u.id] });
  const { token } = await hub.login(login, u.password);
  const socket = await TestSocket.open(hub.wsUrl, token);
  const generalId = socket.hello.conversations.find((c) => c.kind === 'general')!.id;
  return { ...u, token, socket, generalId };
}

let counter = 0;
/** A fresh client message id. */
export function cid(prefix = 'm'): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${(counter++).toString(36)}`.padEnd(8, '0');
}
