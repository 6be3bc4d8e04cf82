import { useEffect, useState } from 'preact/hooks';
import type { Member } from '../../common/protocol/model.ts';
import { members } from '../actions/rooms.ts';

/**
 * The members of a conversation, fetched when it (or its member count) changes; `reload` fetches
 * again after an invite or removal. Null while loading.
 */
export function useMembers(conversationId: number, memberCount: number): { list: Member[] | null; reload: () => void } {
  const [list, setList] = useState<Member[] | null>(null);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let current = true;
    void members(conversationId).then((result) => {
      if (current) setList(result ?? []);
    });
    return () => {
      current = false;
    };
  }, [conversationId, memberCount, version]);
  return { list, reload: () => setVersion((v) => v + 1) };
}
