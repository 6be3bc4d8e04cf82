import type { JSX } from 'preact';
import { neutraliseBidi } from '../../common/text/neutraliseBidi.ts';
import { isTooLarge, removeAttachedFile } from '../actions/attachments.ts';
import { fileSizeLabel } from '../format/fileSize.ts';
import { language } from '../i18n/language.ts';
import { t } from '../i18n/t.ts';
import { composerFilesFor } from '../state/composerFiles.ts';
import { fileLimits } from '../state/fileLimits.ts';
import { FileTypeIcon } from '../ui/FileTypeIcon.tsx';
import { Icon } from '../ui/Icon.tsx';
import { UserText } from '../ui/UserText.tsx';
import { fileTypeOf } from '../ui/fileType.ts';

/**
 * The files attached in the composer, before sending: a thumbnail of each image (an object URL of
 * the local file), a type icon for other files, name and size, a remove button; a file over the
 * hub's size limit is flagged with why.
 */
export function ComposerFiles({ conversationId }: { conversationId: number }): JSX.Element | null {
  const files = composerFilesFor(conversationId).value;
  if (files.length === 0) return null;
  const lang = language.value;
  const limits = fileLimits();
  return (
    <ul class="composer-files" aria-label={t('files.strip')}>
      {files.map((file) => {
        const tooLarge = isTooLarge(file, limits);
        const name = neutraliseBidi(file.name);
        return (
          <li key={file.key} class={tooLarge ? 'composer-file too-large' : 'composer-file'} data-file-name={file.name}>
            {file.previewUrl ? (
              <img class="composer-thumb" src={file.previewUrl} alt="" draggable={false} />
            ) : (
              <span class="composer-thumb icon-thumb">
                <FileTypeIcon type={fileTypeOf(file.name, file.type)} size={34} />
              </span>
            )}
            <span class="composer-file-info">
              <UserText class="file-name" text={file.name} title={file.name} />
              <span class="file-size">{fileSizeLabel(file.size, lang)}</span>
              {tooLarge && limits.maxFileBytes !== null && (
                <span class="file-problem" role="alert">
                  <Icon name="alert" size={14} />
                  {t('files.tooLarge', { limit: fileSizeLabel(limits.maxFileBytes, lang) })}
                </span>
              )}
            </span>
            <button
              type="button"
              class="icon-button small composer-file-remove"
              aria-label={t('files.remove', { name })}
              title={t('files.remove', { name })}
              onClick={() => removeAttachedFile(conversationId, file.key)}
            >
              <Icon name="close" size={16} />
            </button>
          </li>
        );
      })}
    </ul>
  );
}
