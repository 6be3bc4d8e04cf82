// The desktop page's images and files come through beseda-file://, served by the main process
// from the hub with the session's token (FileProxy): a strictly parsed address, only our page's
// GETs, the hub's safety headers passed on, the body streamed; everything else 404.
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileSchemeUrl } from '../../common/ipc/fileScheme.ts';
import type { FileRef } from '../../common/protocol/model.ts';
import { FileProxy, type FileSchemeRequest } from '../../main/files/FileProxy.ts';
import type { HubAccess } from '../../main/files/hubFileRequest.ts';
import { parseFileSchemeUrl } from '../../main/files/parseFileSchemeUrl.ts';
import { appOrigin } from '../../main/security/appProtocol.ts';
import { upload } from '../files/fileHelpers.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { RecordingLog } from './fakes.ts';

const idOf = (n: number) => `f${String(n).padStart(22, 'x')}`;

describe('beseda-file addresses', () => {
  it('reads exactly what fileSchemeUrl writes: a file id and one of three variants', () => {
    const good = idOf(7);
    for (const variant of ['download', 'view', 'preview'] as const) {
      expect(fileSchemeUrl(good, variant)).toBe(`beseda-file://file/${good}/${variant}`);
      expect(parseFileSchemeUrl(fileSchemeUrl(good, variant))).toEqual({ fileId: good, variant });
    }
  });

  it('refuses everything else', () => {
    const good = idOf(7);
    for (const url of [
      `beseda-file://file/${good}`,
      `beseda-file://file/${good}/`,
      `beseda-file://file/${good}/preview/`,
      `beseda-file://file/${good}/thumbnail`,
      `beseda-file://file/${good}/PREVIEW`,
      `beseda-file://file/${good}/preview?key=k`,
      `beseda-file://file/${good}/preview#x`,
      `beseda-file://file/${good}/preview/../view`,
      `beseda-file://file/../${good}/preview`,
      `beseda-file://file/%66${good.slice(1)}/preview`,
      `beseda-file://file/${good}%2Fpreview`,
      `beseda-file://file//${good}/preview`,
      `beseda-file://FILE/${good}/preview`,
      `beseda-file://other/${good}/preview`,
      `beseda-file://file:80/${good}/preview`,
      `beseda-file://user@file/${good}/preview`,
      `BESEDA-FILE://file/${good}/preview`,
      `app://beseda/${good}/preview`,
      `https://file/${good}/preview`,
      `beseda-file://file/${good.slice(0, 22)}/preview`,
      `beseda-file://file/${good}x/preview`,
      `beseda-file://file/g${good.slice(1)}/preview`,
      `beseda-file://file/f${'a'.repeat(21)}+/preview`,
      `beseda-file://file/f${'a'.repeat(21)}./preview`,
      ` beseda-file://file/${good}/preview`,
      `beseda-file://file/${good}/preview\n`,
      '',
    ]) {
      expect(parseFileSchemeUrl(url), url).toBeNull();
    }
    expect(parseFileSchemeUrl(undefined as unknown as string)).toBeNull();
  });
});

/** A GET of our page for a scheme address (Electron's request, as FileProxy reads it). */
const pageRequest = (
  url: string,
  over: Partial<FileSchemeRequest> & { headers?: Headers } = {},
): FileSchemeRequest => ({
  url,
  method: 'GET',
  headers: new Headers(),
  initiatorOrigin: appOrigin,
  ...over,
});

/** A FileProxy with Node's fetch, recording what it asked the hub. */
function proxyFor(access: () => HubAccess | null, fetchImpl: typeof fetch = fetch, answerTimeoutMs?: number) {
  const asked: { url: string; headers: Record<string, string> }[] = [];
  const log = new RecordingLog();
  const proxy = new FileProxy({
    access,
    fetch: (url, init) => {
      asked.push({ url, headers: init.headers as Record<string, string> });
      return fetchImpl(url, init);
    },
    log,
    answerTimeoutMs,
  });
  return { proxy, asked, log };
}

describe('FileProxy against a real hub', () => {
  let hub: TestHub;
  let alice: HubAccess;
  let bob: HubAccess;
  let png: Buffer;
  let image: FileRef;
  let invoice: FileRef;
  const pdf = Buffer.from('%PDF-1.4\n% счёт\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

  beforeAll(async () => {
    hub = await startHub();
    const session = async (login: string): Promise<HubAccess> => {
      const { password } = await hub.addUser(login, login);
      return { base: hub.url, token: (await hub.login(login, password)).token };
    };
    alice = await session('alice');
    bob = await session('bob');
    png = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#3a7' } })
      .png()
      .toBuffer();
    image = (await upload(hub, alice.token, 'Скриншот 2026-12-02.png', png, 'image/png')).file!;
    invoice = (await upload(hub, alice.token, 'Счёт №17.pdf', pdf, 'application/pdf')).file!;
    expect(image.kind).toBe('image');
  });

  afterAll(async () => {
    await hub?.stop();
  });

  it('serves preview, view and download with the token, streamed, with the hub’s safety headers', async () => {
    const { proxy, asked } = proxyFor(() => alice);
    const preview = await proxy.handle(pageRequest(fileSchemeUrl(image.id, 'preview')));
    expect(preview.status).toBe(200);
    expect(preview.headers.get('content-type')).toMatch(/^image\/(webp|jpeg)$/);
    expect(preview.headers.get('x-content-type-options')).toBe('nosniff');
    expect(preview.headers.get('content-security-policy')).toContain('sandbox');
    expect((await sharp(Buffer.from(await preview.arrayBuffer())).metadata()).width).toBe(300);

    const view = await proxy.handle(pageRequest(fileSchemeUrl(image.id, 'view')));
    expect(view.status).toBe(200);
    expect(view.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await view.arrayBuffer()).equals(png)).toBe(true);

    const file = await proxy.handle(pageRequest(fileSchemeUrl(invoice.id, 'download')));
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toMatch(/^attachment;.*filename\*=UTF-8''/);
    expect(file.headers.get('content-length')).toBe(String(pdf.length));
    expect(Buffer.from(await file.arrayBuffer()).equals(pdf)).toBe(true);

    // The token went as a header, never in the address; the hub's address is the signed-in one.
    expect(asked.map((a) => a.url)).toEqual([
      `${hub.url}/api/v1/files/${image.id}/preview`,
      `${hub.url}/api/v1/files/${image.id}/view`,
      `${hub.url}/api/v1/files/${invoice.id}`,
    ]);
    for (const a of asked) expect(a.headers.authorization).toBe(`Bearer ${alice.token}`);
  });

  it('passes a range on and the hub’s 206 back', async () => {
    const { proxy } = proxyFor(() => alice);
    const part = await proxy.handle(
      pageRequest(fileSchemeUrl(invoice.id, 'download'), { headers: new Headers({ range: 'bytes=0-7' }) }),
    );
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 0-7/${pdf.length}`);
    expect(Buffer.from(await part.arrayBuffer()).toString()).toBe('%PDF-1.4');
  });

  it('answers the hub’s 404 for what the session may not see, or a non-image’s view', async () => {
    const asBob = proxyFor(() => bob).proxy;
    expect((await asBob.handle(pageRequest(fileSchemeUrl(image.id, 'preview')))).status).toBe(404);
    const asAlice = proxyFor(() => alice).proxy;
    const view = await asAlice.handle(pageRequest(fileSchemeUrl(invoice.id, 'view')));
    expect(view.status).toBe(404);
    expect(view.body).toBeNull();
    const unknown = await asAlice.handle(pageRequest(fileSchemeUrl(idOf(1), 'download')));
    expect(unknown.status).toBe(404);
  });

  it('refuses, without asking the hub, bad addresses, other methods, other requesters, and no session', async () => {
    const { proxy, asked } = proxyFor(() => alice);
    const good = fileSchemeUrl(image.id, 'preview');
    const refusals: FileSchemeRequest[] = [
      pageRequest(`${good}?key=x`),
      pageRequest(`beseda-file://file/${image.id}/../../api/v1/me`),
      pageRequest(`beseda-file://file/${image.id}/thumbnail`),
      pageRequest(good, { method: 'POST' }),
      pageRequest(good, { method: 'HEAD' }),
      pageRequest(good, { initiatorOrigin: 'https://evil.example' }),
      pageRequest(good, { initiatorOrigin: 'null' }),
      pageRequest(good, { initiatorOrigin: null }),
      pageRequest(good, { initiatorOrigin: undefined }),
      pageRequest(good, { initiatorOrigin: 'app://beseda.evil' }),
    ];
    for (const request of refusals) {
      const answer = await proxy.handle(request);
      expect(answer.status, `${request.method} ${request.url} from ${request.initiatorOrigin}`).toBe(404);
    }
    const signedOut = proxyFor(() => null);
    expect((await signedOut.proxy.handle(pageRequest(good))).status).toBe(404);
    expect(asked).toEqual([]);
    expect(signedOut.asked).toEqual([]);
  });

  it('answers 502 when the hub cannot be reached, and logs no token', async () => {
    const gone = { base: 'http://127.0.0.1:1', token: 'secret-token-value' };
    const { proxy, log } = proxyFor(() => gone);
    expect((await proxy.handle(pageRequest(fileSchemeUrl(image.id, 'preview')))).status).toBe(502);
    expect(JSON.stringify(log.lines)).not.toContain('secret-token-value');
    expect(log.lines.some((l) => l.level === 'warn')).toBe(true);
  });
});

describe('FileProxy streaming', () => {
  const access = () => ({ base: 'http://hub.invalid', token: 't' });

  it('passes the first bytes on before the hub has sent the rest (never holds a file whole)', async () => {
    let finish!: () => void;
    const hubAnswer = () => {
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('first chunk'));
          finish = () => {
            controller.enqueue(new TextEncoder().encode(', the rest'));
            controller.close();
          };
        },
      });
      return Promise.resolve(
        new Response(body, { status: 200, headers: { 'content-type': 'application/pdf', 'set-cookie': 'a=b' } }),
      );
    };
    const { proxy } = proxyFor(access, hubAnswer);
    const answer = await proxy.handle(pageRequest(fileSchemeUrl(idOf(2), 'download')));
    expect(answer.headers.get('set-cookie')).toBeNull();
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    const reader = answer.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('first chunk');
    finish();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe(', the rest');
    expect((await reader.read()).done).toBe(true);
  });

  it('stops asking the hub when the page gives up, and gives up itself on a hub that never answers', async () => {
    const signals: AbortSignal[] = [];
    const never = (_url: string | URL | Request, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        const signal = init!.signal!;
        signals.push(signal);
        signal.addEventListener('abort', () => reject(new Error('aborted')));
      });
    const { proxy } = proxyFor(access, never as typeof fetch, 60_000);
    const page = new AbortController();
    const pending = proxy.handle(pageRequest(fileSchemeUrl(idOf(3), 'view'), { signal: page.signal }));
    await new Promise((r) => setTimeout(r, 10));
    page.abort();
    expect((await pending).status).toBe(502);
    expect(signals[0]!.aborted).toBe(true);

    const slow = proxyFor(access, never as typeof fetch, 50).proxy;
    expect((await slow.handle(pageRequest(fileSchemeUrl(idOf(4), 'view')))).status).toBe(504);
  });
});
