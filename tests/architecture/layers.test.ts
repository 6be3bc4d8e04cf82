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

  it.each([
    // The store's interfaces are driver-free; its SQLite side imports no layer above it.
    ['hub/store/X.ts', "import Database from 'better-sqlite3';\nexport const x = Database;"],
    ['hub/store/X.ts', "import { findUserById } from './sqlite/users.ts';\nexport const x = findUserById;"],
    ['hub/store/X.ts', "import { HubError } from '../ops/HubError.ts';\nexport const x = HubError;"],
    ['hub/store/X.ts', "import * as v from 'valibot';\nexport const x = v;"],
    ['hub/store/sqlite/x.ts', "import { HubError } from '../../ops/HubError.ts';\nexport const x = HubError;"],
    ['hub/store/sqlite/x.ts', "import { pino } from 'pino';\nexport const x = pino;"],
    ['hub/store/sqlite/x.ts', "import { y } from '../../../common/client/ChatClient.ts';\nexport const x = y;"],
    // Operations never reach up (server, admin, CLI) nor down past the store interfaces.
    ['hub/ops/x.ts', "import { y } from '../server/startHubServer.ts';\nexport const x = y;"],
    ['hub/ops/x.ts', "import { y } from '../admin/adminCommands.ts';\nexport const x = y;"],
    ['hub/ops/x.ts', "import { y } from '../cli/main.ts';\nexport const x = y;"],
    ['hub/ops/x.ts', "import { findUserById } from '../store/sqlite/users.ts';\nexport const x = findUserById;"],
    ['hub/ops/x.ts', "import { openDatabase } from '../db/openDatabase.ts';\nexport const x = openDatabase;"],
    ['hub/ops/x.ts', "import Database from 'better-sqlite3';\nexport const x = Database;"],
    ['hub/ops/integrations/x.ts', "import { y } from '../../store/sqlite/hooks.ts';\nexport const x = y;"],
    ['hub/ops/createHub.ts', "import { y } from '../store/sqlite/users.ts';\nexport const x = y;"],
    // The server reaches storage only through the operations.
    ['hub/server/x.ts', "import type { Store } from '../store/Store.ts';\nexport type X = Store;"],
    ['hub/server/x.ts', "import Database from 'better-sqlite3';\nexport const x = Database;"],
    // Only the event bus between nodes talks to Redis, and it stores nothing.
    ['hub/server/x.ts', "import { Redis } from 'ioredis';\nexport const x = Redis;"],
    ['hub/cluster/x.ts', "import type { Store } from '../store/Store.ts';\nexport type X = Store;"],
    ['hub/cluster/x.ts', "import pg from 'pg';\nexport const x = pg;"],
    // Components read state and call actions, never the backend.
    ['renderer/components/X.tsx', "import { backend } from '../backend/currentBackend.ts';\nexport const x = backend;"],
    ['renderer/ui/X.tsx', "import { backend } from '../backend/currentBackend.ts';\nexport const x = backend;"],
  ])('inside a layer, %s: refuses %s', async (file, code) => {
    expect(await rulesFor(file, code)).toContain('no-restricted-imports');
  });

  it.each([
    ['hub/store/X.ts', "import type { Message } from '../../common/protocol/model.ts';\nexport type X = Message;"],
    ['hub/store/X.ts', "import type { Store } from './Store.ts';\nexport type X = Store;"],
    ['hub/store/sqlite/x.ts', "import Database from 'better-sqlite3';\nexport const x = Database;"],
    ['hub/store/sqlite/x.ts', "import { statfsSync } from 'node:fs';\nexport const x = statfsSync;"],
    [
      'hub/store/sqlite/x.ts',
      "import { openDatabase } from '../../db/openDatabase.ts';\nexport const x = openDatabase;",
    ],
    ['hub/store/sqlite/x.ts', "import type { Store } from '../Store.ts';\nexport type X = Store;"],
    ['hub/ops/x.ts', "import type { Store } from '../store/Store.ts';\nexport type X = Store;"],
    [
      'hub/ops/createHub.ts',
      "import { openSqliteStore } from '../store/sqlite/openSqliteStore.ts';\nexport const x = openSqliteStore;",
    ],
    ['hub/server/x.ts', "import type { Hub } from '../ops/Hub.ts';\nexport type X = Hub;"],
    ['hub/cluster/x.ts', "import { Redis } from 'ioredis';\nexport const x = Redis;"],
    ['renderer/actions/x.ts', "import { backend } from '../backend/currentBackend.ts';\nexport const x = backend;"],
  ])('inside a layer, %s: allows %s', async (file, code) => {
    expect(await rulesFor(file, code)).not.toContain('no-restricted-imports');
  });

  it('refuses re-export barrels', async () => {
    expect(await rulesFor('common/x.ts', "export * from './protocol/model.ts';")).toContain('no-restricted-syntax');
  });
});
