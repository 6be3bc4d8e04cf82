import type { JSX } from 'preact';
import { useRef } from 'preact/hooks';
import { attachFiles } from '../actions/attachments.ts';
import { t } from '../i18n/t.ts';
import { Icon } from '../ui/Icon.tsx';

/** The composer's paperclip: opens the system's file picker (several files at once). */
export function AttachButton({
  conversationId,
  onPicked,
}: {
  conversationId: number;
  onPicked: () => void;
}): JSX.Element {
  const picker = useRef<HTMLInputElement>(null);
  return (
    <>
      <button
        type="button"
        class="icon-button attach-button"
        aria-label={t('files.attach')}
        title={t('files.attach')}
        onClick={() => picker.current?.click()}
      >
        <Icon name="paperclip" />
      </button>
      <input
        ref={picker}
        type="file"
        multiple
        hidden
        tabIndex={-1}
        onChange={(e) => {
          const input = e.currentTarget;
          attachFiles(conversationId, [...(input.files ?? [])], 'pick');
          // The same file may be picked again after it was removed from the strip.
          input.value = '';
          onPicked();
        }}
      />
    </>
  );
}
