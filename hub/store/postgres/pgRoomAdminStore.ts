import type { RoomAdminStore } from '../RoomAdminStore.ts';
import { notYet } from './notYet.ts';
import type { PgDatabase } from './PgDatabase.ts';

/** The PostgreSQL {@link RoomAdminStore}. */
export function pgRoomAdminStore(_db: PgDatabase): RoomAdminStore {
  return notYet<RoomAdminStore>('RoomAdminStore');
}
