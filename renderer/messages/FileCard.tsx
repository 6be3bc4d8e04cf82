import type { JSX } from 'preact';
import type { FileRef } from '../../common/protocol/model.ts';
import { neutraliseBidi } from '../../common/text/neutraliseBidi.ts';
import { saveFile } from '../actions/saveFile.ts';
import { fileSizeLabel } from '../format/fileSize.ts';
import { language } from '../i18n/language.ts';
import { t } from '../i18n/t.ts';
import { fileUrl } from '../state/fileUrl.ts';
import { FileTypeIcon } from '../ui/FileTypeIcon.tsx';
import { Icon } from '../ui/Icon.tsx';
import { UserText } from '../ui/UserText.tsx';
import { fileTypeOf } from '../ui/fileType.ts';

/**
 * A file of a sent message as a card: type icon, name (isolated, direction controls shown, so
 * `\u202Egpj.exe` cannot pass for `exe.jpg`), size, and the whole card downloads it. The hub
 * always serves it as an attachment: it is saved, never opened in the page.
 */
export function FileCard({ file }: { file: Pick<FileRef, 'id' | 'name' | 'size' | 'type'> }): JSX.Element {
  const href = fileUrl(file.id, 'download');
  const name = neutraliseBidi(file.name);
  return (
    <a
      class="file-card"
      href={href ?? undefined}
      download={name}
      title={t('files.downloadNamed', { name })}
      data-file-id={file.id}
      onClick={(e) => saveFile(e, file.id, file.name)}
    >
      <FileTypeIcon type={fileTypeOf(file.name, file.type)} />
      <span class="file-info">
        <UserText class="file-name" text={file.name} />
        <span class="file-size">{fileSizeLabel(file.size, language.value)}</span>
      </span>
      <span class="file-download" aria-hidden="true">
        <Icon name="download" />
      </span>
    </a>
  );
}
