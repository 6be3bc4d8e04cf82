// Saving a file on the desktop goes through the main process (Backend.saveFile): the IPC check
// takes only a file id and a name, the guarded backend asks the shell to download the hub's
// address with the session's token as a header (no ?key= for a browser's history), offered under
// a safe version of the file's own name; the shell claims only the downloads the app started.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkInvoke } from '../../main/ipc/checkInvoke.ts';
import { safeFileName } from '../../main/files/fileDownload.ts';
import type { FileDownload } from '../../main/files/FileSaver.ts';
import { PendingDownloads } from '../../main/files/PendingDownloads.ts';
import { appEntryUrl } from '../../main/security/appProtocol.ts';
import { upload } from '../files/fileHelpers.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { signIn, startDesktop } from './harness.ts';

const page = { frameUrl: appEntryUrl, isMainFrame: true };
const fileId = `f${'Ab1_-'.repeat(4)}xy`;

describe('IPC check of saveFile', () => {
  it('takes a file id and a name', () => {
    expect(checkInvoke(page, 'saveFile', [fileId, 'Счёт №17.pdf'])).toEqual({
      ok: true,
      method: 'saveFile',
      args: [fileId, 'Счёт №17.pdf'],
    });
  });

  it('refuses addresses, malformed ids and names, and extra arguments', () => {
    for (const args of [
      ['https://evil.example/x.exe', 'x.exe'],
      [`/api/v1/files/${fileId}`, 'a.pdf'],
      [`${fileId}?key=k`, 'a.pdf'],
      [fileId.slice(0, 22), 'a.pdf'],
      [`g${fileId.slice(1)}`, 'a.pdf'],
      [fileId, ''],
      [fileId, 'x'.repeat(1025)],
      [fileId, { toString: () => 'a.pdf' }],
      [fileId],
      [fileId, 'a.pdf', '/tmp/where'],
      [7, 'a.pdf'],
    ]) {
      expect(checkInvoke(page, 'saveFile', args).ok, JSON.stringify(args).slice(0, 60)).toBe(false);
    }
  });
});

describe('the name the save dialog offers', () => {
  it('keeps ordinary names, Cyrillic included', () => {
    expect(safeFileName('Счёт №17.pdf')).toBe('Счёт №17.pdf');
    expect(safeFileName('Скриншот 2026-12-02 09.31.png')).toBe('Скриншот 2026-12-02 09.31.png');
  });

  it('cannot hide an extension, leave the folder or name a device', () => {
    expect(safeFileName('\u202Egnp.exe')).toBe('⟨RLO⟩gnp.exe');
    expect(safeFileName('../../.bashrc')).toBe('_.._.bashrc');
    expect(safeFileName('..\\..\\Startup\\run.bat')).toBe('_.._Startup_run.bat');
    expect(safeFileName('C:\\Windows\\evil.dll')).toBe('C__Windows_evil.dll');
    expect(safeFileName('a<b>c:"d|e?f*.txt')).toBe('a_b_c__d_e_f_.txt');
    expect(safeFileName('line\nbreak\u0000.txt')).toBe('line_break_.txt');
    expect(safeFileName('CON.txt')).toBe('_CON.txt');
    expect(safeFileName('nul')).toBe('_nul');
    expect(safeFileName('report.pdf. . ')).toBe('report.pdf');
    expect(safeFileName(' ...')).toBe('file');
    const long = safeFileName(`${'я'.repeat(300)}.pdf`);
    expect(long).toHaveLength(180);
    expect(long.endsWith('я.pdf')).toBe(true);
  });
});

describe('PendingDownloads', () => {
  const download = (url: string): FileDownload => ({ url, headers: {}, suggestedName: 'a.pdf' });

  it('claims only a download the app started, once, and not one web content started', () => {
    const pending = new PendingDownloads();
    pending.add(download('http://hub/api/v1/files/f1'), 0);
    expect(pending.claim('http://hub/api/v1/files/f2', '', 10)).toBeNull();
    expect(pending.claim('http://hub/api/v1/files/f1', 'app://beseda', 10)).toBeNull();
    expect(pending.claim('http://hub/api/v1/files/f1', '', 10)?.suggestedName).toBe('a.pdf');
    expect(pending.claim('http://hub/api/v1/files/f1', '', 20)).toBeNull();
  });

  it('knows its download by the address Chromium reports (a Cyrillic hub name in punycode)', () => {
    const pending = new PendingDownloads();
    pending.add(download('http://хаб.офис:8080/api/v1/files/f1'), 0);
    expect(pending.claim('http://xn--80ac2d.xn--h1alkk:8080/api/v1/files/f1', '', 10)).not.toBeNull();
  });

  it('forgets a download Electron never reported', () => {
    const pending = new PendingDownloads();
    pending.add(download('http://hub/api/v1/files/f1'), 0);
    expect(pending.claim('http://hub/api/v1/files/f1', '', 61_000)).toBeNull();
  });
});

describe('desktop: saveFile through the Backend the window uses', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startHub();
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('downloads the hub’s address with the token as a header, offered under the file’s own name', async () => {
    const olga = await hub.addUser('olga', 'Ольга');
    const pdf = Buffer.from('%PDF-1.4\n% счёт\n%%EOF\n');
    const d = await startDesktop({ hidden: true });
    try {
      await expect(d.app.backend.saveFile(`f${'a'.repeat(22)}`, 'a.pdf')).rejects.toThrow(/not signed in/);
      await signIn(d, hub, 'olga', olga.password);
      const token = d.client.hubAccess()!.token;
      const invoice = (await upload(hub, token, 'Счёт №17.pdf', pdf, 'application/pdf')).file!;

      await d.app.backend.saveFile(invoice.id, '\u202Efdp.exe');
      await d.app.backend.saveFile(invoice.id, 'Счёт №17.pdf');
      expect(d.files.saved).toEqual([
        {
          url: `${hub.url}/api/v1/files/${invoice.id}`,
          headers: { authorization: `Bearer ${token}` },
          suggestedName: '⟨RLO⟩fdp.exe',
        },
        {
          url: `${hub.url}/api/v1/files/${invoice.id}`,
          headers: { authorization: `Bearer ${token}` },
          suggestedName: 'Счёт №17.pdf',
        },
      ]);
      expect(d.files.saved[0]!.url).not.toContain('key=');

      // What the shell hands to Electron's download is a working request to the hub.
      const answer = await fetch(d.files.saved[1]!.url, { headers: d.files.saved[1]!.headers });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-disposition')).toMatch(/^attachment;/);
      expect(Buffer.from(await answer.arrayBuffer()).equals(pdf)).toBe(true);

      await expect(d.app.backend.saveFile('../../api/v1/me', 'x')).rejects.toThrow(/not a file id/);
      await d.app.backend.signOut();
      await expect(d.app.backend.saveFile(invoice.id, 'a.pdf')).rejects.toThrow(/not signed in/);
      expect(d.files.saved).toHaveLength(2);
    } finally {
      d.stop();
    }
  });
});
