import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

/** Lints a snippet as if it were the given file; returns the rules that fired. */
async function rulesFor(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => m.ruleId ?? m.message);
}

describe('layer rules (npm run lint fails on a wrong import)', () => {
  it.each([
    ['common/client/x.ts', "import fs from 'node:fs';\nexport const x = fs;"],
    ['common/client/x.ts', "import { h } from 'preact';\nexport const x = h;"],
    ['common/client/x.ts', "import { y } from '../../hub/ops/Hub.ts';\nexport const x = y;"],
    ['hub/server/x.ts', "import { y } from '../../main/tray.ts';\nexport const x = y;"],
    ['hub/server/x.ts', "import { app } from 'electron';\nexport const x = app;"],
    ['renderer/x.ts', "import fs from 'node:fs';\nexport const x = fs;"],
    ['renderer/x.ts', "import WebSocket from 'ws';\nexport const x = WebSocket;"],
    ['renderer/x.ts', "import { y } from '../hub/ops/Hub.ts';\nexport const x = y;"],
    ['main/tray/x.ts', "import { app } from 'electron';\nexport const x = app;"],
    ['main/x.ts', "import Database from 'better-sqlite3';\nexport const x = Database;"],
    ['preload/x.ts', "import fs from 'node:fs';\nexport const x = fs;"],
  ])('%s: refuses %s', async (file, code) => {
    expect(await rulesFor(file, code)).toContain('no-restricted-imports');
  });

  it.each([
    ['main/shell/x.ts', "import { app } from 'electron';\nexport const x = app;"],
    ['preload/x.ts', "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;"],
    ['hub/server/x.ts', "import { WebSocketServer } from 'ws';\nexport const x = WebSocketServer;"],
    ['renderer/x.ts', "import { signal } from '@preact/signals';\nexport const x = signal;"],
  ])('%s: allows %s', async (file, code) => {
    expect(await rulesFor(file, code)).not.toContain('no-restricted-imports');
  });

  it('refuses re-export barrels', async () => {
    expect(await rulesFor('common/x.ts', "export * from './protocol/model.ts';")).toContain('no-restricted-syntax');
  });
});
