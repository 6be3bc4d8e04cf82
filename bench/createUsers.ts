import { randomBytes } from 'node:crypto';
import type { BenchUser } from './genProtocol.ts';
import type { HubProcess } from './HubProcess.ts';

const firstNames = ['Иван', 'Мария', 'Алексей', 'Ольга', 'Сергей', 'Елена', 'Дмитрий', 'Анна', 'Павел', 'Наталья'];
const lastNames = ['Иванов', 'Кузнецова', 'Смирнов', 'Попова', 'Соколов', 'Лебедева', 'Козлов', 'Новикова'];

/** Runs `task` for 0..count-1 with at most `limit` at a time. */
async function each(count: number, limit: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
}

/**
 * Creates `count` people through the admin socket and signs each in over HTTP, so every
 * generator client holds a real session token. Returns them in creation order.
 */
export async function createUsers(
  hub: HubProcess,
  count: number,
  prefix: string,
): Promise<{ users: BenchUser[]; createMs: number; loginMs: number }> {
  const logins: { login: string; password: string; id: number }[] = new Array(count);
  const t0 = performance.now();
  await each(count, 8, async (i) => {
    const login = `${prefix}${String(i).padStart(5, '0')}`;
    const password = randomBytes(12).toString('base64url');
    const name = `${firstNames[i % firstNames.length]} ${lastNames[Math.floor(i / 10) % lastNames.length]} ${i}`;
    const { user } = await hub.admin<{ user: { id: number } }>('user.add', { login, name, password, branch: null });
    logins[i] = { login, password, id: user.id };
  });
  const t1 = performance.now();
  const users: BenchUser[] = new Array(count);
  await each(count, 8, async (i) => {
    const { login, password, id } = logins[i]!;
    const res = await fetch(`${hub.url}/api/v1/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login, password }),
    });
    if (!res.ok) throw new Error(`login ${login}: HTTP ${res.status} ${await res.text()}`);
    const body = (await res.json()) as { token: string };
    users[i] = { userId: id, token: body.token };
  });
  return { users, createMs: t1 - t0, loginMs: performance.now() - t1 };
}
