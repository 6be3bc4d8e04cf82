import type { JSX } from 'preact';
import type { MessageView } from '../../common/client/ClientState.ts';
import { FileCard } from './FileCard.tsx';
import { ImagePreview } from './ImagePreview.tsx';
import { UploadCard } from './UploadCard.tsx';

/** Whether a message carries files (stored ones, or uploads still in the outbox). */
export function hasFiles(message: MessageView): boolean {
  return (message.files?.length ?? 0) > 0 || (message.uploads?.length ?? 0) > 0;
}

/**
 * A message's files: images inline (a click opens the viewer), other files as cards with a
 * download; while the message is in the outbox, its uploads with progress and a cancel button.
 */
export function MessageFiles({ message }: { message: MessageView }): JSX.Element | null {
  if (message.status !== 'sent') {
    if (!message.uploads?.length) return null;
    return (
      <div class="msg-files">
        {message.uploads.map((upload, i) => (
          <UploadCard key={i} upload={upload} clientId={message.clientId} pending={message.status === 'pending'} />
        ))}
      </div>
    );
  }
  const files = message.files ?? [];
  if (files.length === 0) return null;
  const images = files.filter((f) => f.kind === 'image');
  const others = files.filter((f) => f.kind !== 'image');
  return (
    <div class="msg-files">
      {images.length > 0 && (
        <div class="msg-images">
          {images.map((file, i) => (
            <ImagePreview
              key={`${file.id}:${i}`}
              conversationId={message.conversationId}
              seq={message.seq}
              file={file}
            />
          ))}
        </div>
      )}
      {others.map((file, i) => (
        <FileCard key={`${file.id}:${i}`} file={file} />
      ))}
    </div>
  );
}
