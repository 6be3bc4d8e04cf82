import type { JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { Conversation } from '../../common/protocol/model.ts';
import { loadPinsOnce } from '../actions/pins.ts';
import { t } from '../i18n/t.ts';
import { client } from '../state/clientState.ts';
import { pinsPanelOpen } from '../state/uiState.ts';
import { ActionIcon } from './ActionIcons.tsx';
import { PinnedPanel } from './PinnedPanel.tsx';

/**
 * The header's pin button with the number of pinned messages (shown once there are any), opening
 * the pinned-messages panel under it. Opening a conversation loads its pins.
 */
export function PinsButton({ conversation }: { conversation: Conversation }): JSX.Element | null {
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    loadPinsOnce(conversation.id);
    return () => {
      pinsPanelOpen.value = false;
    };
  }, [conversation.id]);
  const count = client.pins.value[conversation.id]?.length ?? 0;
  const open = pinsPanelOpen.value;
  if (count === 0 && !open) return null;
  const label = `${t('pins.button')}: ${t('pins.count', { n: count })}`;
  return (
    <div class="pins-anchor">
      <button
        ref={button}
        type="button"
        class={open ? 'header-button pins-button active' : 'header-button pins-button'}
        aria-expanded={open}
        aria-controls={open ? 'pins-panel' : undefined}
        aria-label={label}
        title={t('pins.button')}
        data-pins-button=""
        onClick={() => (pinsPanelOpen.value = !open)}
      >
        <ActionIcon name="pin" />
        <span class="pin-count">{count}</span>
      </button>
      {open && (
        <PinnedPanel
          conversation={conversation}
          onClose={(returnFocus) => {
            pinsPanelOpen.value = false;
            if (returnFocus) button.current?.focus();
          }}
        />
      )}
    </div>
  );
}
