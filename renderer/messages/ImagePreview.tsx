import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { FileRef } from '../../common/protocol/model.ts';
import { neutraliseBidi } from '../../common/text/neutraliseBidi.ts';
import { openImage } from '../actions/viewer.ts';
import { t } from '../i18n/t.ts';
import { imageKey } from '../state/conversationImages.ts';
import { fileUrl } from '../state/fileUrl.ts';
import { Icon } from '../ui/Icon.tsx';
import { fitImage } from './fitImage.ts';

/**
 * An image of a sent message, inline: the hub's still preview in a box sized from the image's
 * known width and height (so the list does not jump), a GIF badge on an animation (the viewer
 * plays it), and a click opens the viewer.
 */
export function ImagePreview({
  conversationId,
  seq,
  file,
}: {
  conversationId: number;
  seq: number;
  file: FileRef;
}): JSX.Element {
  // Per address: a preview that failed before the session's key arrived is tried again with it.
  const [failedSrc, setFailedSrc] = useState<string | null>(null);
  const box = fitImage(file.width, file.height);
  const src = fileUrl(file.id, 'preview');
  const failed = src === null || failedSrc === src;
  const name = neutraliseBidi(file.name);
  return (
    <button
      type="button"
      class={failed ? 'image-preview failed' : 'image-preview'}
      style={{ width: `${box.width}px`, aspectRatio: `${box.width} / ${box.height}` }}
      aria-label={t('files.openImage', { name })}
      title={name}
      data-file-id={file.id}
      onClick={() => openImage(conversationId, imageKey(seq, file.id))}
    >
      {!failed ? (
        <img
          src={src}
          alt=""
          width={box.width}
          height={box.height}
          decoding="async"
          draggable={false}
          onError={() => setFailedSrc(src)}
        />
      ) : (
        <span class="image-failed">
          <Icon name="alert" />
          {t('files.previewFailed')}
        </span>
      )}
      {file.animated && (
        <span class="gif-badge" title={t('files.animated')}>
          <Icon name="play" size={12} />
          GIF
        </span>
      )}
    </button>
  );
}
