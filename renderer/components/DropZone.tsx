import type { JSX } from 'preact';
import { t } from '../i18n/t.ts';
import { dragOverConversation } from '../state/composerFiles.ts';
import { Icon } from '../ui/Icon.tsx';
import { Translated } from '../ui/UserText.tsx';

/** The zone shown over a conversation while files are dragged onto it: where they will go. */
export function DropZone({ name }: { name: string }): JSX.Element | null {
  if (!dragOverConversation.value) return null;
  return (
    <div class="drop-zone" aria-hidden="true">
      <div class="drop-zone-inner">
        <Icon name="paperclip" size={32} />
        <strong>{t('files.dropHere')}</strong>
        <span>
          <Translated k="files.dropHint" params={{ name }} />
        </span>
      </div>
    </div>
  );
}
