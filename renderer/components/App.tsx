import type { JSX } from 'preact';
import { useEffect } from 'preact/hooks';
import { stepConversation } from '../actions/conversations.ts';
import { followMessageHash } from '../actions/messageLinks.ts';
import { DialogHost } from '../dialogs/DialogHost.tsx';
import { t } from '../i18n/t.ts';
import { client } from '../state/clientState.ts';
import { viewerTarget } from '../state/viewer.ts';
import { compactLayout, deployment, dialog, membersPanelOpen, sidebarOpen, startup } from '../state/uiState.ts';
import { followNarrowWindow } from '../state/narrowWindow.ts';
import { Logo } from './Logo.tsx';
import { ConversationPane } from './ConversationPane.tsx';
import { ImageViewer } from './ImageViewer.tsx';
import { MembersPanel } from './MembersPanel.tsx';
import { Sidebar } from './Sidebar.tsx';
import { SearchPanel } from './SearchPanel.tsx';
import { openSearch } from '../actions/search.ts';
import { searchOpen } from '../state/search.ts';
import { SignIn } from './SignIn.tsx';
import { InvitePage, invitationCodeInHash } from '../account/InvitePage.tsx';
import { Toasts } from './Toasts.tsx';
import { NotifyBanners } from '../notify/NotifyBanners.tsx';
import { AdminEntry } from '../admin/AdminEntry.tsx';
import { adminRoute, followAdminHash } from '../admin/adminRoute.ts';

function onGlobalKey(e: KeyboardEvent): void {
  if (!client.me.value) return;
  if ((e.ctrlKey || e.metaKey) && !e.altKey && (e.key === 'k' || e.key === 'K' || e.code === 'KeyK')) {
    e.preventDefault();
    dialog.value = dialog.value?.kind === 'quickSwitch' ? null : { kind: 'quickSwitch' };
    return;
  }
  if (dialog.value || viewerTarget.value) return;
  // Message search (S2): Ctrl+F in this conversation, Ctrl+Shift+F everywhere (not the browser's find).
  if ((e.ctrlKey || e.metaKey) && !e.altKey && (e.code === 'KeyF' || e.key === 'f' || e.key === 'F')) {
    e.preventDefault();
    openSearch(e.shiftKey ? 'everywhere' : 'here');
    return;
  }
  if (e.altKey && !e.ctrlKey && !e.metaKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
    e.preventDefault();
    stepConversation(e.key === 'ArrowUp' ? -1 : 1);
    return;
  }
  if (e.key === 'Escape') {
    if (membersPanelOpen.value) membersPanelOpen.value = false;
    else if (compactLayout.value && sidebarOpen.value && client.activeConversationId.value !== null) {
      sidebarOpen.value = false;
    }
  }
}

function Splash({ message }: { message?: string }): JSX.Element {
  return (
    <div class="splash" role={message ? 'alert' : 'status'}>
      <Logo size={56} />
      <p>{message ?? t('app.loading')}</p>
      {!message && <span class="spinner" aria-hidden="true" />}
    </div>
  );
}

/** The whole UI: sign-in, start-up splash, or the chat (sidebar, conversation, members, dialogs). */
export function App(): JSX.Element {
  useEffect(() => {
    document.addEventListener('keydown', onGlobalKey);
    return () => document.removeEventListener('keydown', onGlobalKey);
  }, []);
  // Narrow windows (S3): below ~700 px the sidebar collapses as in the compact layout.
  useEffect(() => followNarrowWindow(), []);
  useEffect(() => followAdminHash(), []); // `#/admin/...`: the admin console (administrators only)

  // A message link (`#/c/<conversation>/m/<seq>`): followed once the conversations are known,
  // and again whenever the address changes to one (a link pasted into the address bar).
  const known = client.me.value !== null && Object.keys(client.conversations.value).length > 0;
  useEffect(() => {
    if (!known) return;
    followMessageHash();
    const onHash = () => void followMessageHash();
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, [known]);

  const phase = startup.value;
  if (phase.phase === 'failed') return <Splash message={phase.message} />;
  if (phase.phase === 'starting') return <Splash />;
  const me = client.me.value;
  if (!me) {
    if (client.connection.value === 'signed-out') {
      // An invitation link (`/invite/<code>` → `#invite=<code>`): choose a password (renderer/account).
      const inviteCode = invitationCodeInHash();
      if (inviteCode) return <InvitePage code={inviteCode} deployment={deployment.value} />;
      return (
        <>
          <SignIn deployment={deployment.value} />
          <Toasts />
        </>
      );
    }
    return <Splash />;
  }

  if (adminRoute.value && me.isAdmin) return <AdminEntry />;

  const active = client.activeConversationId.value;
  const conversation = active === null ? undefined : client.conversations.value[active];
  const showMembers = membersPanelOpen.value && conversation !== undefined && conversation.kind !== 'direct';
  const cls = ['app', compactLayout.value ? 'compact' : '', sidebarOpen.value ? 'sidebar-open' : 'sidebar-closed']
    .filter(Boolean)
    .join(' ');
  return (
    <div class={cls} data-connection={client.connection.value}>
      <Sidebar />
      {compactLayout.value && sidebarOpen.value && (
        <div class="drawer-scrim" aria-hidden="true" onClick={() => (sidebarOpen.value = false)} />
      )}
      <ConversationPane />
      {searchOpen.value ? <SearchPanel /> : showMembers && <MembersPanel conversation={conversation} />}
      <DialogHost />
      <ImageViewer />
      <NotifyBanners />
      <Toasts />
    </div>
  );
}
