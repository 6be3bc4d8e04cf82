import { expect, test } from 'vitest';
import { startPostgres } from '../helpers/postgres.ts';
import { openPgDatabase } from '../../hub/store/postgres/PgDatabase.ts';
test('pg smoke', async () => {
  const t0 = Date.now();
  const pgs = await startPostgres();
  const db = openPgDatabase(await pgs.createDatabase());
  await db.run('CREATE TABLE x (id bigint primary key, v text)');
  await db.tx(async (q) => {
    await q.run('INSERT INTO x VALUES ($1,$2)', [1, 'a']);
  });
  expect(await db.one('SELECT * FROM x')).toEqual({ id: 1, v: 'a' });
  await pgs.stop();
  await pgs.start();
  expect(await db.one('SELECT count(*)::bigint AS n FROM x')).toEqual({ n: 1 });
  await db.close();
  await pgs.close();
  console.log('ms', Date.now() - t0);
});
