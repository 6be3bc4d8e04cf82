import type { JSX } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { neutraliseBidi } from '../../common/text/neutraliseBidi.ts';
import { closeViewer, stepImage } from '../actions/viewer.ts';
import { t } from '../i18n/t.ts';
import { conversationImages } from '../state/conversationImages.ts';
import type { ConversationImage } from '../state/conversationImages.ts';
import { fileUrl } from '../state/fileUrl.ts';
import { viewerTarget } from '../state/viewer.ts';
import { Icon } from '../ui/Icon.tsx';
import { ViewerBar } from './ViewerBar.tsx';
import { useViewerKeys } from './useViewerKeys.ts';
import { useZoom } from './useZoom.ts';

/**
 * The image viewer over the whole window: the full image (the 'view' variant: an animation
 * plays), zoom (click toggles fit and 1:1, the wheel and the +/− buttons zoom), ← → and the side
 * buttons step through the images of the conversation's loaded messages, a download button, Esc
 * closes. A modal: focus moves in, stays in, and returns where it was.
 */
export function ImageViewer(): JSX.Element | null {
  const target = viewerTarget.value;
  if (!target) return null;
  const images = conversationImages(target.conversationId);
  const at = images.findIndex((image) => image.key === target.key);
  const image = images[at];
  if (!image) return null;
  return <ViewerOverlay image={image} index={at} total={images.length} />;
}

function ViewerOverlay({
  image,
  index,
  total,
}: {
  image: ConversationImage;
  index: number;
  total: number;
}): JSX.Element {
  const root = useRef<HTMLDivElement>(null);
  const stage = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const zoom = useZoom(stage, image.file, image.key);
  useViewerKeys(root, zoom);
  const src = fileUrl(image.file.id, 'view');
  const z = zoom.current;
  return (
    <div ref={root} class="viewer" role="dialog" aria-modal="true" aria-label={t('viewer.label')} tabIndex={-1}>
      <ViewerBar image={image} index={index} total={total} zoom={z} />
      <div
        ref={stage}
        class={z.fitted ? 'viewer-stage fitted' : 'viewer-stage zoomed'}
        onMouseDown={(e) => {
          if (e.target === e.currentTarget) closeViewer();
        }}
        onWheel={(e) => {
          e.preventDefault();
          z.zoomBy(e.deltaY < 0 ? 1.15 : 1 / 1.15, e);
        }}
      >
        {failed === image.key || !src ? (
          <p class="viewer-failed" role="alert">
            {t('viewer.loadFailed')}
          </p>
        ) : (
          <img
            key={image.key}
            class="viewer-image"
            src={src}
            alt={neutraliseBidi(image.file.name)}
            style={z.style}
            draggable={false}
            onLoad={(e) => z.loaded(e.currentTarget)}
            onError={() => setFailed(image.key)}
            onClick={(e) => z.toggle(e)}
          />
        )}
      </div>
      {index > 0 && (
        <button
          type="button"
          class="viewer-nav previous"
          aria-label={t('viewer.previous')}
          title={t('viewer.previous')}
          onClick={() => stepImage(-1)}
        >
          <Icon name="chevronLeft" size={28} />
        </button>
      )}
      {index < total - 1 && (
        <button
          type="button"
          class="viewer-nav next"
          aria-label={t('viewer.next')}
          title={t('viewer.next')}
          onClick={() => stepImage(1)}
        >
          <Icon name="chevronRight" size={28} />
        </button>
      )}
    </div>
  );
}
