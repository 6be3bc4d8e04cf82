// One address, nothing else: parameters (`?attach=`, `?body=`, `?cc=`), encoded line breaks (which
// inject mail headers), several recipients and percent-encoding all fall outside this.
const plainMailto = /^mailto:[\p{L}\p{N}._+'-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*$/iu;

/**
 * Whether a `mailto:` link is a bare address (`mailto:it@corp.example`), the only kind the apps
 * show as a link or open: a mail link with parameters can attach a local file or prefill a
 * message the reader did not write.
 */
export function isPlainMailto(link: string): boolean {
  return plainMailto.test(link);
}
