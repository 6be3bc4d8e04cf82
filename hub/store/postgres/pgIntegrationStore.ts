import { announcementRecipients, findAnnouncement, insertConfirmation, pendingAnnouncements } from './announcements.ts';
import { botMethods } from './botMethods.ts';
import { findBranchRoomId } from './branchRooms.ts';
import { directoryWrites } from './directoryWrites.ts';
import { deleteExpiredEmbedLinks, insertEmbedLink, openEmbedLink, redeemEmbedCode } from './embedLinks.ts';
import { externalIdWrites } from './externalIdWrites.ts';
import { hookMethods } from './hookMethods.ts';
import type { AnnouncementRecord, ConfirmOutcome, IntegrationStore, RedeemOutcome } from '../IntegrationStore.ts';
import { findMember } from './members.ts';
import type { PgDatabase } from './PgDatabase.ts';
import { searchKey } from './searchKey.ts';
import { insertSession } from './sessions.ts';
import { accountRecord, findUserById } from './users.ts';

/**
 * The PostgreSQL {@link IntegrationStore}: reads are single statements; every write is one
 * transaction that re-checks what it depends on inside it. Bots, hooks and the directory have
 * their own files.
 */
export function pgIntegrationStore(db: PgDatabase): IntegrationStore {
  return {
    ...botMethods(db),
    ...hookMethods(db),
    findAnnouncement: async (seq) => {
      const row = await findAnnouncement(db, seq);
      return row && { seq: row.seq, conversationId: row.conversation_id, senderId: row.sender_id, ts: row.ts };
    },
    confirmAnnouncement: (seq, userId, now) =>
      db.tx(async (q): Promise<ConfirmOutcome> => {
        const row = await findAnnouncement(q, seq);
        if (!row) return { kind: 'refused', reason: 'not_found' };
        if (!(await findMember(q, row.conversation_id, userId))) return { kind: 'refused', reason: 'not_member' };
        return { kind: 'recorded', first: await insertConfirmation(q, seq, userId, now) };
      }),
    announcementRecipients: async (a: AnnouncementRecord) =>
      (await announcementRecipients(db, a)).map((r) => ({
        userId: r.user_id,
        login: r.login,
        name: r.name,
        confirmedAt: r.confirmed_at,
      })),
    pendingAnnouncements: (userId, limit) => db.tx((q) => pendingAnnouncements(q, userId, limit)),

    createEmbedLink: (link, forgetBefore) =>
      db.tx(async (q) => {
        await deleteExpiredEmbedLinks(q, forgetBefore);
        await insertEmbedLink(q, link);
      }),
    // One statement: its condition decides, so no transaction is needed around it.
    openEmbedLink: (secretHash, codeHash, now, codeExpiresAt) =>
      openEmbedLink(db, secretHash, codeHash, now, codeExpiresAt),
    redeemEmbedCode: (codeHash, s) =>
      db.tx(async (q): Promise<RedeemOutcome> => {
        const userId = await redeemEmbedCode(q, codeHash, s.now);
        if (userId === undefined) return { kind: 'refused', reason: 'unknown_code' };
        // From here on the code stays used, whatever the answer.
        const row = await findUserById(q, userId);
        if (!row) return { kind: 'refused', reason: 'no_account' };
        if (row.disabled === 1) return { kind: 'refused', reason: 'disabled' };
        // Checked again: a link made before this rule, or an account that became privileged since.
        if (row.is_admin === 1 || row.is_bot === 1)
          return { kind: 'refused', reason: 'privileged', account: accountRecord(row) };
        const sessionId = await insertSession(q, {
          userId,
          tokenHash: s.tokenHash,
          source: s.source,
          scope: 'chat',
          now: s.now,
        });
        return { kind: 'signed_in', sessionId, account: accountRecord(row) };
      }),

    branchRoomId: (branch) => findBranchRoomId(db, searchKey(branch)),
    ...directoryWrites(db),
    ...externalIdWrites(db),
  };
}
