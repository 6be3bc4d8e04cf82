/** A content coding the hub can send a static file in: a precompressed sibling, or the file itself. */
export type StaticEncoding = 'br' | 'gzip' | 'identity';

/** Our preference when the client weighs codings equally: smallest first. */
const preference: readonly StaticEncoding[] = ['br', 'gzip', 'identity'];

/** The q-value of each coding named in an Accept-Encoding header (lower-cased; `x-gzip` is `gzip`). */
function parseAcceptEncoding(header: string): Map<string, number> {
  const weights = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.split(';');
    let coding = name!.trim().toLowerCase();
    if (!coding) continue;
    if (coding === 'x-gzip') coding = 'gzip';
    let q = 1;
    for (const param of params) {
      const m = /^\s*q\s*=\s*(\S*)\s*$/i.exec(param);
      if (!m) continue;
      // RFC 9110's qvalue grammar; a malformed weight is taken as "not acceptable" rather than guessed.
      q = /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(m[1]!) ? Number(m[1]) : 0;
    }
    // A coding listed twice keeps its first weight (RFC 9110 does not define it; first is what servers use).
    if (!weights.has(coding)) weights.set(coding, q);
  }
  return weights;
}

/**
 * Picks how to send a file given the request's Accept-Encoding and the precompressed siblings
 * that exist (`available`, e.g. `['br', 'gzip']`). The client's q-values decide; equal weights go
 * to the smaller coding (br, then gzip, then the file itself). No header means the file itself.
 * The file itself is the answer too when nothing acceptable exists (even when the client said
 * `identity;q=0`): a readable answer beats a 406 that no browser sends a reason for.
 */
export function preferredEncoding(
  header: string | string[] | undefined,
  available: readonly StaticEncoding[],
): StaticEncoding {
  const text = Array.isArray(header) ? header.join(',') : header;
  if (!text || available.length === 0) return 'identity';
  const weights = parseAcceptEncoding(text);
  const star = weights.get('*');
  const weight = (coding: StaticEncoding): number => {
    const explicit = weights.get(coding);
    if (explicit !== undefined) return explicit;
    if (star !== undefined) return star;
    // Not named: a compressed coding is not acceptable; the file itself is, as the last choice.
    return coding === 'identity' ? Number.MIN_VALUE : 0;
  };
  let best: StaticEncoding = 'identity';
  let bestWeight = 0;
  for (const coding of preference) {
    if (coding !== 'identity' && !available.includes(coding)) continue;
    const w = weight(coding);
    if (w > bestWeight) {
      best = coding;
      bestWeight = w;
    }
  }
  return best;
}
