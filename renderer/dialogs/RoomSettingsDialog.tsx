import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { Conversation } from '../../common/protocol/model.ts';
import { useMembers } from '../components/useMembers.ts';
import { client } from '../state/clientState.ts';
import { dialog } from '../state/uiState.ts';
import { Translated } from '../ui/UserText.tsx';
import { Dialog } from './Dialog.tsx';
import { LeaveRoomSection } from './LeaveRoomSection.tsx';
import { OwnerTransferSection } from './OwnerTransferSection.tsx';
import { PinRuleSection } from './PinRuleSection.tsx';
import { RoomDetailsForm } from './RoomDetailsForm.tsx';
import { RoomInviteSection } from './RoomInviteSection.tsx';
import { RoomMembersSection } from './RoomMembersSection.tsx';

/** Room settings: name and topic, who may pin messages, members (invite, remove), ownership transfer, leaving. */
export function RoomSettingsDialog({ conversation }: { conversation: Conversation }): JSX.Element {
  const me = client.me.value!;
  const isOwner = conversation.ownerId === me.id;
  const { list, reload } = useMembers(conversation.id, conversation.memberCount);
  // One confirmation at a time: asking to transfer closes the leave question, and the reverse.
  const [confirm, setConfirm] = useState<'leave' | 'transfer' | null>(null);
  const close = () => (dialog.value = null);

  return (
    <Dialog
      title={<Translated k="dialog.settings.title" params={{ name: conversation.name }} />}
      onClose={close}
      size="lg"
    >
      <RoomDetailsForm conversation={conversation} isOwner={isOwner} />
      <PinRuleSection conversation={conversation} mayChange={isOwner || me.isAdmin} />
      <RoomMembersSection conversation={conversation} members={list} isOwner={isOwner} meId={me.id} reload={reload} />
      <RoomInviteSection
        conversation={conversation}
        members={list}
        canInvite={isOwner || conversation.kind === 'open'}
        reload={reload}
      />
      <OwnerTransferSection
        conversation={conversation}
        others={(list ?? []).filter((m) => m.userId !== me.id)}
        isOwner={isOwner}
        confirming={confirm === 'transfer'}
        onConfirming={(on) => setConfirm(on ? 'transfer' : null)}
        reload={reload}
      />
      <LeaveRoomSection
        conversation={conversation}
        confirming={confirm === 'leave'}
        onConfirming={(on) => setConfirm(on ? 'leave' : null)}
        onLeft={close}
      />
    </Dialog>
  );
}
