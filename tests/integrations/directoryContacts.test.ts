// Directory sync of the profile card's fields: position and phone through PUT /api/v1/users and
// the CSV import (docs/integrations.md), seen by colleagues on the User (users.get), e-mail too.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../common/protocol/model.ts';
import type { AccountInfo } from '../../hub/ops/Hub.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { addBot, cli, http } from './integrationHelpers.ts';

let hub: TestHub;
let sync: string;
let viewer: TestSocket;
const files = mkdtempSync(path.join(os.tmpdir(), 'beseda-csv-'));

beforeAll(async () => {
  hub = await startHub();
  sync = (await addBot(hub, 'onec-hr', { directory: true })).token;
  const colleague = await hub.addUser('viewer', 'Смотрящий');
  viewer = await TestSocket.open(hub.wsUrl, (await hub.login('viewer', colleague.password)).token);
});
afterAll(async () => {
  viewer.close();
  await hub.stop();
});

const put = (login: string, json: unknown) => http(hub, 'PUT', `/api/v1/users/${login}`, { token: sync, json });
const account = async (login: string) =>
  ((await hub.admin_('user.list', {})) as { users: AccountInfo[] }).users.find((u) => u.login === login)!;
async function seen(login: string): Promise<User> {
  const { users } = await viewer.request<{ users: User[] }>('users.get', { ids: [(await account(login)).id] });
  return users[0]!;
}

describe('position and phone from the directory', () => {
  it('PUT sets them; a colleague sees position, phone and e-mail on the user', async () => {
    const res = await put('belova', {
      name: 'Белова Елена',
      branch: 'Офис Тверь',
      email: 'belova@example.ru',
      position: 'Главный бухгалтер',
      phone: '+7 (4822) 55-12-34 доб. 210',
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body.user).toMatchObject({ position: 'Главный бухгалтер', phone: '+7 (4822) 55-12-34 доб. 210' });
    expect(await seen('belova')).toMatchObject({
      name: 'Белова Елена',
      position: 'Главный бухгалтер',
      phone: '+7 (4822) 55-12-34 доб. 210',
      email: 'belova@example.ru',
    });
  });

  it('omitted fields stay, null clears, a wrong phone is refused', async () => {
    expect((await put('belova', { name: 'Белова Елена' })).status).toBe(200);
    expect(await seen('belova')).toMatchObject({ position: 'Главный бухгалтер' });
    const changed = await put('belova', { name: 'Белова Елена', position: 'Финансовый директор', phone: null });
    expect(changed.status, changed.text).toBe(200);
    const user = await seen('belova');
    expect(user.position).toBe('Финансовый директор');
    expect(user).not.toHaveProperty('phone');
    const bad = await put('belova', { name: 'Белова Елена', phone: 'позвоните мне' });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/phone/);
  });

  it('the CSV import reads position and phone columns (English or Russian headers)', () => {
    const file = path.join(files, 'staff.csv');
    writeFileSync(
      file,
      '\uFEFFлогин;ФИО;Подразделение;Должность;Телефон;Почта\r\n' +
        'gromov;Громов Глеб;Офис Клин;Кладовщик;+7 495 123-45-67;gromov@example.ru\r\n' +
        'ilina;Ильина Ирина;;"Менеджер; опт";;\r\n',
    );
    const r = cli(['user', 'import', file, '--data', hub.dataDir]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/2 created/);
  });

  it('and colleagues see what it imported', async () => {
    expect(await seen('gromov')).toMatchObject({
      position: 'Кладовщик',
      phone: '+7 495 123-45-67',
      email: 'gromov@example.ru',
    });
    const ilina = await seen('ilina');
    expect(ilina.position).toBe('Менеджер; опт');
    expect(ilina).not.toHaveProperty('phone');
    // An English header, and an import without those columns leaves them as they are.
    const file = path.join(files, 'names.csv');
    writeFileSync(file, 'login,name,position\ngromov,Громов Глеб,Старший кладовщик\n');
    expect(cli(['user', 'import', file, '--data', hub.dataDir]).out).toMatch(/1 updated/);
    const only = path.join(files, 'only.csv');
    writeFileSync(only, 'login;name\ngromov;Громов Глеб\n');
    expect(cli(['user', 'import', only, '--data', hub.dataDir]).out).toMatch(/1 unchanged/);
    expect(await seen('gromov')).toMatchObject({ position: 'Старший кладовщик', phone: '+7 495 123-45-67' });
  });
});
