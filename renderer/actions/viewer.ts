import { conversationImages } from '../state/conversationImages.ts';
import { viewerTarget } from '../state/viewer.ts';

/** Opens the viewer on one image of a conversation. */
export function openImage(conversationId: number, key: string): void {
  viewerTarget.value = { conversationId, key };
}

/** Closes the viewer. */
export function closeViewer(): void {
  viewerTarget.value = null;
}

/** Steps to the previous (-1) or next (+1) image of the conversation's loaded messages; stops at the ends. */
export function stepImage(delta: -1 | 1): void {
  const target = viewerTarget.value;
  if (!target) return;
  const images = conversationImages(target.conversationId);
  const at = images.findIndex((image) => image.key === target.key);
  const next = images[at + delta];
  if (at >= 0 && next) viewerTarget.value = { conversationId: target.conversationId, key: next.key };
}
