// Which file addresses the renderer builds: the web client's point at the hub with the session's
// read-only key; the desktop page's at beseda-file:// (the main process adds the token), never the
// hub or a key. And the desktop's saveFile crosses the bridge like every Backend call.
import { afterEach, describe, expect, it } from 'vitest';
import type { BackendMethod } from '../../common/client/Backend.ts';
import type { BesedaBridge } from '../../common/ipc/BesedaBridge.ts';
import { chooseFileAddressing, fileAddress } from '../../renderer/backend/fileAddress.ts';
import { IpcBackend } from '../../renderer/backend/IpcBackend.ts';
import { client } from '../../renderer/state/clientState.ts';
import { fileUrl } from '../../renderer/state/fileUrl.ts';

const id = `f${'Q'.repeat(22)}`;
const session = { hubUrl: 'http://10.0.0.5:8080/', fileKey: 'k3y+/=' };

afterEach(() => chooseFileAddressing('hub'));

describe('file addresses', () => {
  it('on the web: the hub’s address with the read-only key', () => {
    chooseFileAddressing('hub');
    expect(fileAddress(id, 'preview', session)).toBe(
      `http://10.0.0.5:8080/api/v1/files/${id}/preview?key=k3y%2B%2F%3D`,
    );
    expect(fileAddress(id, 'download', session)).toBe(`http://10.0.0.5:8080/api/v1/files/${id}?key=k3y%2B%2F%3D`);
    expect(fileAddress(id, 'view', { ...session, hubUrl: null })).toBeNull();
  });

  it('on the desktop: the main process’s scheme, without the hub or the key', () => {
    chooseFileAddressing('desktop');
    for (const variant of ['download', 'view', 'preview'] as const)
      expect(fileAddress(id, variant, session)).toBe(`beseda-file://file/${id}/${variant}`);
    expect(fileAddress(id, 'view', { hubUrl: null, fileKey: null })).toBeNull();
  });

  it('fileUrl follows the session’s state and the choice', () => {
    client.hubUrl.value = 'https://hub.example.ru';
    client.fileKey.value = 'key';
    expect(fileUrl(id, 'view')).toBe(`https://hub.example.ru/api/v1/files/${id}/view?key=key`);
    chooseFileAddressing('desktop');
    expect(fileUrl(id, 'view')).toBe(`beseda-file://file/${id}/view`);
    client.hubUrl.value = null;
    expect(fileUrl(id, 'view')).toBeNull();
  });
});

describe('saveFile on the desktop', () => {
  it('is passed through the bridge as (saveFile, id, name)', async () => {
    const calls: { method: BackendMethod; args: unknown[] }[] = [];
    const bridge: BesedaBridge = {
      invoke: async (method, ...args) => void calls.push({ method, args }),
      onPatch: () => () => {},
      onNavigate: () => () => {},
    };
    await new IpcBackend(bridge).saveFile(id, 'Счёт №17.pdf');
    expect(calls).toEqual([{ method: 'saveFile', args: [id, 'Счёт №17.pdf'] }]);
  });
});
