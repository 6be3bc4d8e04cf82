import type { Database } from 'better-sqlite3';
import { announcementRecipients, findAnnouncement, insertConfirmation, pendingAnnouncements } from './announcements.ts';
import { findBranchRoomId } from './branchRooms.ts';
import { deleteExpiredEmbedLinks, insertEmbedLink, openEmbedLink, redeemEmbedCode } from './embedLinks.ts';
import type {
  AnnouncementRecord,
  ConfirmOutcome,
  IntegrationStore,
  NewEmbedLink,
  RedeemOutcome,
} from '../IntegrationStore.ts';
import { findMember } from './members.ts';
import { searchKey } from './searchKey.ts';
import { insertSession } from './sessions.ts';
import { accountRecord, findUserById } from './users.ts';
import { botMethods } from './botMethods.ts';
import { directoryWrites } from './directoryWrites.ts';
import { externalIdWrites } from './externalIdWrites.ts';
import { hookMethods } from './hookMethods.ts';

/**
 * The SQLite {@link IntegrationStore}: reads are single statements; every write is one IMMEDIATE
 * transaction (the write lock up front, so another connection makes us wait out the busy timeout
 * rather than fail an upgrade from a read transaction). Bots, hooks and the directory have their own files.
 */
export function sqliteIntegrationStore(db: Database): IntegrationStore {
  const confirm = db.transaction((seq: number, userId: number, now: number): ConfirmOutcome => {
    const row = findAnnouncement(db, seq);
    if (!row) return { kind: 'refused', reason: 'not_found' };
    if (!findMember(db, row.conversation_id, userId)) return { kind: 'refused', reason: 'not_member' };
    return { kind: 'recorded', first: insertConfirmation(db, seq, userId, now) };
  });

  const createLink = db.transaction((link: NewEmbedLink, forgetBefore: number) => {
    deleteExpiredEmbedLinks(db, forgetBefore);
    insertEmbedLink(db, link);
  });
  const openLink = db.transaction(openEmbedLink);
  const redeem = db.transaction(
    (codeHash: Buffer, s: { tokenHash: Buffer; source: string; now: number }): RedeemOutcome => {
      const userId = redeemEmbedCode(db, codeHash, s.now);
      if (userId === undefined) return { kind: 'refused', reason: 'unknown_code' };
      // From here on the code stays used, whatever the answer.
      const row = findUserById(db, userId);
      if (!row) return { kind: 'refused', reason: 'no_account' };
      if (row.disabled === 1) return { kind: 'refused', reason: 'disabled' };
      // Checked again: a link made before this rule, or an account that became privileged since.
      if (row.is_admin === 1 || row.is_bot === 1)
        return { kind: 'refused', reason: 'privileged', account: accountRecord(row) };
      const sessionId = insertSession(db, {
        userId,
        tokenHash: s.tokenHash,
        source: s.source,
        scope: 'chat',
        now: s.now,
      });
      return { kind: 'signed_in', sessionId, account: accountRecord(row) };
    },
  );

  return {
    ...botMethods(db),
    ...hookMethods(db),
    findAnnouncement: async (seq) => {
      const row = findAnnouncement(db, seq);
      return row && { seq: row.seq, conversationId: row.conversation_id, senderId: row.sender_id, ts: row.ts };
    },
    confirmAnnouncement: async (seq, userId, now) => confirm.immediate(seq, userId, now),
    announcementRecipients: async (a: AnnouncementRecord) =>
      announcementRecipients(db, a).map((r) => ({
        userId: r.user_id,
        login: r.login,
        name: r.name,
        confirmedAt: r.confirmed_at,
      })),
    pendingAnnouncements: async (userId, limit) => pendingAnnouncements(db, userId, limit),

    createEmbedLink: async (link, forgetBefore) => createLink.immediate(link, forgetBefore),
    openEmbedLink: async (secretHash, codeHash, now, codeExpiresAt) =>
      openLink.immediate(db, secretHash, codeHash, now, codeExpiresAt),
    redeemEmbedCode: async (codeHash, session) => redeem.immediate(codeHash, session),

    branchRoomId: async (branch) => findBranchRoomId(db, searchKey(branch)),
    ...directoryWrites(db),
    ...externalIdWrites(db),
  };
}
