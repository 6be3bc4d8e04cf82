import { client } from './clientState.ts';

/** The hub's file limits as the composer checks them (null: not known yet, nothing is refused here). */
export interface FileLimits {
  maxFileBytes: number | null;
  maxFilesPerMessage: number | null;
}

/** The file limits the hub announced in its last hello. */
export function fileLimits(): FileLimits {
  const limits = client.limits.value;
  return {
    maxFileBytes: limits?.maxFileBytes ?? null,
    maxFilesPerMessage: limits?.maxFilesPerMessage ?? null,
  };
}
