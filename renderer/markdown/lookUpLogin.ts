import { searchUsers } from '../actions/rooms.ts';
import { applyStatePatch } from '../state/clientState.ts';

// Logins already asked about this session (found or not): each is asked once.
const asked = new Set<string>();

/**
 * Asks the hub's directory about an `@login` a message shows that the page does not know yet (a
 * mention of someone outside the user's conversations, in an old message): when found, the
 * person joins the known users and the chip shows their name. Asked a moment later, after the
 * rows on screen have rendered, and once per login.
 */
export function lookUpLogin(login: string): void {
  const key = login.toLocaleLowerCase('ru');
  if (asked.has(key)) return;
  asked.add(key);
  setTimeout(() => {
    void searchUsers(key).then((users) => {
      const user = users?.find((u) => u.login.toLocaleLowerCase('ru') === key);
      if (user) applyStatePatch({ users: { [user.id]: user } });
    });
  }, 50);
}
