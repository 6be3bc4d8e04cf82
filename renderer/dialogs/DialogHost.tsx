import type { JSX } from 'preact';
// The styles of reactions, pins and forwarding, loaded with the host of their picker and dialog.
import '../styles/reactions.css';
import { ProfileCard } from '../components/ProfileCard.tsx';
import { ReactionPicker } from '../components/ReactionPicker.tsx';
import { client } from '../state/clientState.ts';
import { dialog } from '../state/uiState.ts';
import { BrowseRoomsDialog } from './BrowseRoomsDialog.tsx';
import { CreateRoomDialog } from './CreateRoomDialog.tsx';
import { ForwardDialog } from './ForwardDialog.tsx';
import { NewDirectDialog } from './NewDirectDialog.tsx';
import { QuickSwitchDialog } from './QuickSwitchDialog.tsx';
import { RoomSettingsDialog } from './RoomSettingsDialog.tsx';
import { SecurityDialogHost } from '../account/SecurityDialog.tsx';

/** Renders the one open dialog, if any, and the reaction picker when it is open. */
export function DialogHost(): JSX.Element {
  return (
    <>
      <OpenDialog />
      <ReactionPicker />
      <SecurityDialogHost />
    </>
  );
}

function OpenDialog(): JSX.Element | null {
  const open = dialog.value;
  if (!open) return null;
  switch (open.kind) {
    case 'createRoom':
      return <CreateRoomDialog />;
    case 'browseRooms':
      return <BrowseRoomsDialog />;
    case 'newDirect':
      return <NewDirectDialog />;
    case 'quickSwitch':
      return <QuickSwitchDialog />;
    case 'roomSettings': {
      const conversation = client.conversations.value[open.conversationId];
      return conversation ? <RoomSettingsDialog key={conversation.id} conversation={conversation} /> : null;
    }
    case 'profile':
      return <ProfileCard key={open.userId} userId={open.userId} />;
    case 'forward':
      return (
        <ForwardDialog key={`${open.conversationId}:${open.seq}`} conversationId={open.conversationId} seq={open.seq} />
      );
  }
}
