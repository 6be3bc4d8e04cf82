import type { JSX } from 'preact';
import { neutraliseBidi } from '../../common/text/neutraliseBidi.ts';
import { saveFile } from '../actions/saveFile.ts';
import { closeViewer } from '../actions/viewer.ts';
import { fullDateTime } from '../format/dates.ts';
import { language } from '../i18n/language.ts';
import { t } from '../i18n/t.ts';
import { nameOf } from '../messages/MessageRow.tsx';
import { client } from '../state/clientState.ts';
import type { ConversationImage } from '../state/conversationImages.ts';
import { fileUrl } from '../state/fileUrl.ts';
import { Icon } from '../ui/Icon.tsx';
import { UserText } from '../ui/UserText.tsx';
import type { Zoom } from './useZoom.ts';

function ToolButton({
  label,
  onClick,
  disabled,
  autofocus,
  children,
}: {
  label: string;
  onClick: () => void;
  disabled?: boolean;
  autofocus?: boolean;
  children: JSX.Element;
}): JSX.Element {
  return (
    <button
      type="button"
      class="viewer-button"
      aria-label={label}
      title={label}
      disabled={disabled}
      data-autofocus={autofocus ? '' : undefined}
      onClick={onClick}
    >
      {children}
    </button>
  );
}

/**
 * The viewer's top bar: the file's name, who sent it and when, where it is among the
 * conversation's images; zoom out, the scale, zoom in, fit ↔ 1:1, download and close.
 */
export function ViewerBar({
  image,
  index,
  total,
  zoom: z,
}: {
  image: ConversationImage;
  index: number;
  total: number;
  zoom: Zoom;
}): JSX.Element {
  const name = neutraliseBidi(image.file.name);
  const author = image.displayName ?? nameOf(client.users.value, image.senderId);
  const download = fileUrl(image.file.id, 'download');
  return (
    <header class="viewer-bar">
      <div class="viewer-title">
        <UserText class="viewer-name" text={image.file.name} />
        <span class="viewer-meta">
          <UserText text={author} /> · {fullDateTime(image.ts, language.value)}
          {total > 1 && <> · {t('viewer.position', { n: index + 1, total })}</>}
        </span>
      </div>
      <div class="viewer-tools">
        <ToolButton label={t('viewer.zoomOut')} onClick={() => z.zoomBy(0.8)}>
          <Icon name="zoomOut" />
        </ToolButton>
        <span class="viewer-scale" aria-live="polite">
          {Math.round(z.scale * 100)}%
        </span>
        <ToolButton label={t('viewer.zoomIn')} onClick={() => z.zoomBy(1.25)}>
          <Icon name="zoomIn" />
        </ToolButton>
        <ToolButton
          label={z.fitted ? t('viewer.actual') : t('viewer.fit')}
          disabled={z.fitted && z.fitsAsIs}
          onClick={() => z.toggle()}
        >
          {z.fitted ? <span class="viewer-one">1:1</span> : <Icon name="fit" />}
        </ToolButton>
        {download && (
          <a
            class="viewer-button"
            href={download}
            download={name}
            aria-label={t('files.downloadNamed', { name })}
            title={t('files.download')}
            onClick={(e) => saveFile(e, image.file.id, image.file.name)}
          >
            <Icon name="download" />
          </a>
        )}
        <ToolButton label={t('app.close')} onClick={closeViewer} autofocus>
          <Icon name="close" />
        </ToolButton>
      </div>
    </header>
  );
}
