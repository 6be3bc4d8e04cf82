import { computed } from '@preact/signals';
import type { Message } from '../../common/protocol/model.ts';
import { client } from './clientState.ts';

/** Announcements by seq, oldest first. */
export function oldestFirst(announcements: Record<number, Message>): Message[] {
  return Object.values(announcements).sort((a, b) => a.seq - b.seq);
}

/**
 * The announcements the user still has to confirm, oldest first. Built from the client state's
 * `announcements` slice, which the hub keeps true: loaded after every connect, added live, and
 * removed when the user confirms on any device. Nothing is remembered in the page.
 */
export const pendingAnnouncements = computed(() => oldestFirst(client.announcements.value));

/** Whether the announcement with this seq still waits for the user's confirmation. */
export function isPendingAnnouncement(seq: number): boolean {
  return seq in client.announcements.value;
}
