/** A PostgreSQL address as it may be printed: any password in it replaced by ***. */
export function redactedStoreUrl(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]*):[^@/]*@/, '$1:***@');
}
