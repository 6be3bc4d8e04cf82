// PostgreSQL's text type cannot hold U+0000, which SQLite keeps and the protocol does not forbid:
// the PostgreSQL store stores U+FFFD in its place (PgDatabase), so a send, an edit or a name
// carrying one is stored instead of failing the whole transaction.
import { describe, expect, it } from 'vitest';
import { hubOn } from './conversationHubs.ts';
import { postgresAvailable } from '../helpers/postgres.ts';

describe.skipIf(!postgresAvailable)('U+0000 on the PostgreSQL store', () => {
  it('is stored as U+FFFD in messages, edits and names; the hub goes on', async () => {
    const { hub, user } = await hubOn('postgres');
    const anna = await user('anna');
    const m = await hub.send(anna, { conversationId: 1, clientId: 'nul-text-1', text: 'a\u0000b' });
    expect(m.text).toBe('a\u0000b'); // what the sender was answered: as sent, before storage
    const [stored] = (await hub.history(anna, { conversationId: 1 })).messages;
    expect(stored!.text).toBe('a\uFFFDb');
    await hub.editMessage(anna, { seq: m.seq, clientId: 'nul-edit-1', text: 'c\u0000d' });
    expect((await hub.history(anna, { conversationId: 1 })).messages[0]!.text).toBe('c\uFFFDd');
    await hub.createUser({ login: 'boris', name: 'Бо\u0000рис', password: 'pw-boris-secret' });
    const next = await hub.send(anna, { conversationId: 1, clientId: 'nul-text-2', text: 'after' });
    expect(next.seq).toBeGreaterThan(m.seq);
    await hub.close();
  });
});
