import { signal } from '@preact/signals';

/** The image open in the viewer: by conversation and by its key in {@link conversationImages}. */
export interface ViewerTarget {
  conversationId: number;
  /** `<seq>:<file id>`: the same file posted twice is two places to step through. */
  key: string;
}

/** The image the viewer shows (null: the viewer is closed). */
export const viewerTarget = signal<ViewerTarget | null>(null);
