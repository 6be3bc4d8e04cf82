/**
 * A PostgreSQL or Redis address as it may be printed: any password in it replaced by ***
 * (`redis://:secret@host` and `redis://user:secret@host` alike).
 */
export function redactedStoreUrl(url: string): string {
  return url.replace(/^((?:postgres(?:ql)?|rediss?):\/\/[^:/@]*):[^@/]*@/, '$1:***@');
}
