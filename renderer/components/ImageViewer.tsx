import type { JSX } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { neutraliseBidi } from '../../common/text/neutraliseBidi.ts';
import { closeViewer, stepImage } from '../actions/viewer.ts';
import { focusableIn } from '../dialogs/Dialog.tsx';
import { fullDateTime } from '../format/dates.ts';
import { language } from '../i18n/language.ts';
import { t } from '../i18n/t.ts';
import { client } from '../state/clientState.ts';
import { conversationImages } from '../state/conversationImages.ts';
import type { ConversationImage } from '../state/conversationImages.ts';
import { fileUrl } from '../state/fileUrl.ts';
import { viewerTarget } from '../state/viewer.ts';
import { Icon } from '../ui/Icon.tsx';
import { UserText } from '../ui/UserText.tsx';
import { nameOf } from '../messages/MessageRow.tsx';
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
  const lang = language.value;
  const name = neutraliseBidi(image.file.name);
  const author = image.displayName ?? nameOf(client.users.value, image.senderId);
  const src = fileUrl(image.file.id, 'view');
  const download = fileUrl(image.file.id, 'download');

  useLayoutEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    root.current?.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    // In the capture phase, before the app's own keys (Esc there closes the members panel).
    window.addEventListener('keydown', onKey, true);
    const keepFocus = (e: FocusEvent) => {
      if (root.current && e.target instanceof Node && !root.current.contains(e.target)) root.current.focus();
    };
    document.addEventListener('focusin', keepFocus);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      document.removeEventListener('focusin', keepFocus);
      if (previous && document.contains(previous)) previous.focus({ preventScroll: true });
    };
  }, []);

  function onKey(e: KeyboardEvent): void {
    const handled = (): void => {
      e.preventDefault();
      e.stopPropagation();
    };
    if (e.key === 'Escape') {
      handled();
      closeViewer();
    } else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      handled();
      stepImage(e.key === 'ArrowLeft' ? -1 : 1);
    } else if ((e.key === '+' || e.key === '=') && !e.ctrlKey && !e.metaKey) {
      handled();
      zoom.current.zoomBy(1.25);
    } else if (e.key === '-' && !e.ctrlKey && !e.metaKey) {
      handled();
      zoom.current.zoomBy(0.8);
    } else if (e.key === 'Tab') {
      trapTab(e);
    } else if ((e.ctrlKey || e.metaKey) && (e.key === 'k' || e.key === 'K' || e.code === 'KeyK')) {
      // No conversation switching under the viewer.
      handled();
    }
  }

  function trapTab(e: KeyboardEvent): void {
    const items = root.current ? focusableIn(root.current) : [];
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) return;
    const active = document.activeElement;
    if (e.shiftKey && (active === first || !root.current!.contains(active))) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && (active === last || !root.current!.contains(active))) {
      e.preventDefault();
      first.focus();
    }
  }

  const z = zoom.current;
  return (
    <div ref={root} class="viewer" role="dialog" aria-modal="true" aria-label={t('viewer.label')} tabIndex={-1}>
      <header class="viewer-bar">
        <div class="viewer-title">
          <UserText class="viewer-name" text={image.file.name} />
          <span class="viewer-meta">
            <UserText text={author} /> · {fullDateTime(image.ts, lang)}
            {total > 1 && <> · {t('viewer.position', { n: index + 1, total })}</>}
          </span>
        </div>
        <div class="viewer-tools">
          <button
            type="button"
            class="viewer-button"
            aria-label={t('viewer.zoomOut')}
            title={t('viewer.zoomOut')}
            onClick={() => z.zoomBy(0.8)}
          >
            <Icon name="zoomOut" />
          </button>
          <span class="viewer-scale" aria-live="polite">
            {Math.round(z.scale * 100)}%
          </span>
          <button
            type="button"
            class="viewer-button"
            aria-label={t('viewer.zoomIn')}
            title={t('viewer.zoomIn')}
            onClick={() => z.zoomBy(1.25)}
          >
            <Icon name="zoomIn" />
          </button>
          <button
            type="button"
            class="viewer-button"
            aria-label={z.fitted ? t('viewer.actual') : t('viewer.fit')}
            title={z.fitted ? t('viewer.actual') : t('viewer.fit')}
            disabled={z.fitted && z.fitsAsIs}
            onClick={() => z.toggle()}
          >
            {z.fitted ? <span class="viewer-one">1:1</span> : <Icon name="fit" />}
          </button>
          {download && (
            <a
              class="viewer-button"
              href={download}
              download={name}
              aria-label={t('files.downloadNamed', { name })}
              title={t('files.download')}
            >
              <Icon name="download" />
            </a>
          )}
          <button
            type="button"
            class="viewer-button"
            aria-label={t('app.close')}
            title={t('app.close')}
            onClick={closeViewer}
            data-autofocus=""
          >
            <Icon name="close" />
          </button>
        </div>
      </header>
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
            alt={name}
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
