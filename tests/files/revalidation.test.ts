// File responses are revalidated on every use: `Cache-Control: private, no-cache` with the strong
// ETag on the download, the full image and the preview, so a browser asks the hub each time and a
// member removed from a room stops seeing the room's files at once (with `max-age` a browser
// showed them from its cache for an hour). A conditional request is answered 304 only after the
// access check: the removed member's gets 404. HEAD answers the same headers without the bytes.
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filePath, type FileVariant } from '../../common/protocol/fileUrls.ts';
import type { FileRef } from '../../common/protocol/model.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { cid, download, type Person, person, upload } from './fileHelpers.ts';

let hub: TestHub;
let owner: Person;
let member: Person;
let room: number;
let photo: FileRef;
let pdf: FileRef;
const pdfBytes = Buffer.from('%PDF-1.4\n% акт сверки\ntrailer << >>\n%%EOF\n');
const variants: FileVariant[] = ['download', 'view', 'preview'];

/** A HEAD request for a file, by bearer token or download key. */
function head(
  fileId: string,
  auth: { token?: string; key?: string },
  variant: FileVariant,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(hub.url + filePath(fileId, variant, auth.key), {
    method: 'HEAD',
    headers: { ...(auth.token ? { authorization: `Bearer ${auth.token}` } : {}), ...headers },
  });
}

beforeAll(async () => {
  hub = await startHub();
  owner = await person(hub, 'owner');
  member = await person(hub, 'member');
  room = (
    await owner.socket.request<{ conversation: { id: number } }>('rooms.create', {
      name: 'Бухгалтерия',
      kind: 'closed',
      members: [member.id],
    })
  ).conversation.id;
  const png = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#c33' } })
    .png()
    .toBuffer();
  photo = (await upload(hub, owner.token, 'скриншот.png', png, 'image/png')).file!;
  pdf = (await upload(hub, owner.token, 'акт.pdf', pdfBytes, 'application/pdf')).file!;
  expect(photo.kind).toBe('image');
  await owner.socket.request('send', {
    conversationId: room,
    clientId: cid('rv'),
    text: '',
    files: [photo.id, pdf.id],
  });
});

afterAll(async () => {
  for (const p of [owner, member]) p?.socket.close();
  await hub?.stop();
});

describe('revalidated file responses', () => {
  it('download, view and preview say private, no-cache with a strong ETag; the ETag alone gets 304', async () => {
    for (const variant of variants) {
      const res = await download(hub, photo.id, { key: member.key }, variant);
      expect(res.status, variant).toBe(200);
      await res.arrayBuffer();
      expect(res.headers.get('cache-control'), variant).toBe('private, no-cache');
      const etag = res.headers.get('etag')!;
      expect(etag, variant).toMatch(/^"[0-9a-f]{64}"$/);
      const again = await download(hub, photo.id, { key: member.key }, variant, { 'if-none-match': etag });
      expect(again.status, variant).toBe(304);
      expect(again.headers.get('cache-control'), variant).toBe('private, no-cache');
      expect(again.headers.get('etag'), variant).toBe(etag);
    }
  });

  it('a removed member revalidating with the ETag gets 404, not 304', async () => {
    const etags = new Map<FileVariant, string>();
    for (const variant of variants) {
      const res = await download(hub, photo.id, { token: member.token }, variant);
      await res.arrayBuffer();
      etags.set(variant, res.headers.get('etag')!);
    }
    await owner.socket.request('rooms.remove', { conversationId: room, userId: member.id });
    for (const variant of variants)
      for (const auth of [{ token: member.token }, { key: member.key }]) {
        const res = await download(hub, photo.id, auth, variant, { 'if-none-match': etags.get(variant)! });
        expect(res.status, `${variant} ${Object.keys(auth)[0]}`).toBe(404);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
      }
    // The uploader still revalidates to 304.
    const own = await download(hub, photo.id, { token: owner.token }, 'download', {
      'if-none-match': etags.get('download')!,
    });
    expect(own.status).toBe(304);
  });
});

describe('HEAD', () => {
  it('answers the GET headers without the bytes, for every variant and a range', async () => {
    for (const [file, variant] of [[pdf, 'download'], ...variants.map((v) => [photo, v])] as [FileRef, FileVariant][]) {
      const get = await download(hub, file.id, { token: owner.token }, variant);
      const bytes = Buffer.from(await get.arrayBuffer());
      const res = await head(file.id, { token: owner.token }, variant);
      expect(res.status, variant).toBe(200);
      expect((await res.arrayBuffer()).byteLength).toBe(0);
      for (const name of [
        'content-type',
        'content-length',
        'content-disposition',
        'etag',
        'cache-control',
        'x-content-type-options',
        'content-security-policy',
        'accept-ranges',
      ])
        expect(res.headers.get(name), `${variant} ${name}`).toBe(get.headers.get(name));
      expect(Number(res.headers.get('content-length'))).toBe(bytes.length);
    }
    const part = await head(pdf.id, { key: owner.key }, 'download', { range: 'bytes=0-3' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 0-3/${pdfBytes.length}`);
    expect(part.headers.get('content-length')).toBe('4');
  });

  it('refuses like GET: 404 for someone without access, 401 without credentials', async () => {
    expect((await head(pdf.id, { token: member.token }, 'download')).status).toBe(404);
    expect((await head(pdf.id, {}, 'download')).status).toBe(401);
    expect((await head(pdf.id, { token: owner.token }, 'view')).status).toBe(404);
  });
});
