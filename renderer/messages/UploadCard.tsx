import type { JSX } from 'preact';
import type { UploadView } from '../../common/client/ClientState.ts';
import { neutraliseBidi } from '../../common/text/neutraliseBidi.ts';
import { discardMessage } from '../actions/messaging.ts';
import { fileSizeLabel } from '../format/fileSize.ts';
import { language } from '../i18n/language.ts';
import { t } from '../i18n/t.ts';
import { FileTypeIcon } from '../ui/FileTypeIcon.tsx';
import { Icon } from '../ui/Icon.tsx';
import { UserText } from '../ui/UserText.tsx';
import { fileTypeOf } from '../ui/fileType.ts';

/**
 * A file of a message still in the outbox: name, how much the hub has received (a progress bar
 * while pending) and a cancel button, which discards the whole message. A failed message's files
 * show without the bar; its retry and discard are below the message.
 */
export function UploadCard({
  upload,
  clientId,
  pending,
}: {
  upload: UploadView;
  clientId: string;
  pending: boolean;
}): JSX.Element {
  const lang = language.value;
  const done = upload.size > 0 ? Math.min(1, upload.loaded / upload.size) : 1;
  return (
    <div class={pending ? 'file-card upload pending' : 'file-card upload'}>
      <FileTypeIcon type={fileTypeOf(upload.name, upload.type)} />
      <span class="file-info">
        <UserText class="file-name" text={upload.name} />
        <span class="file-size">
          {pending
            ? t('files.progress', {
                loaded: fileSizeLabel(upload.loaded, lang),
                size: fileSizeLabel(upload.size, lang),
              })
            : fileSizeLabel(upload.size, lang)}
        </span>
        {pending && (
          <span
            class="upload-bar"
            role="progressbar"
            aria-label={neutraliseBidi(upload.name)}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(done * 100)}
          >
            <span style={{ width: `${done * 100}%` }} />
          </span>
        )}
      </span>
      {pending && (
        <button
          type="button"
          class="icon-button small"
          aria-label={t('files.cancelUpload')}
          title={t('files.cancelUpload')}
          onClick={() => discardMessage(clientId)}
        >
          <Icon name="close" size={16} />
        </button>
      )}
    </div>
  );
}
