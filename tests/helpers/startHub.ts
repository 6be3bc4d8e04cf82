import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { User } from '../../common/protocol/model.ts';
import { sendAdminCommand } from '../../hub/admin/callAdmin.ts';
import { databaseOfThisFile } from './postgres.ts';

/**
 * `BESEDA_TEST_STORE=postgres`: hubs keep their data in a PostgreSQL database of the test file's
 * own cluster (one database per data folder, so a restart or a second start on the folder finds
 * it), unless the test chose a store itself.
 */
const postgresOfDataDir = new Map<string, Promise<string>>();

/**
 * The environment a one-off `beseda-hub` command on a stopped hub's folder needs to open the same
 * store the hub used: `BESEDA_STORE` when startHub gave the folder a PostgreSQL database, else none.
 */
export async function storeEnvOf(dataDir: string): Promise<Record<string, string>> {
  const url = postgresOfDataDir.get(dataDir);
  return url ? { BESEDA_STORE: await url } : {};
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The bundled hub that globalSetup builds. */
export const hubBundle = path.join(root, 'dist/hub/beseda-hub.js');
const webRoot = path.join(root, 'dist/web');

/** A real hub process for a test: its own data folder, an ephemeral port on 127.0.0.1. */
export interface TestHub {
  url: string;
  wsUrl: string;
  port: number;
  dataDir: string;
  /** Everything the hub wrote to stdout (JSON logs) and stderr, for assertions and debugging. */
  output: string[];
  process: ChildProcess;
  /** The administrator created on first start. */
  admin: { login: string; password: string } | null;
  addUser(
    login: string,
    name?: string,
    opts?: { admin?: boolean; branch?: string },
  ): Promise<{ id: number; login: string; password: string }>;
  admin_(cmd: string, args: unknown): Promise<unknown>;
  login(login: string, password: string): Promise<{ token: string; user: User }>;
  /** SIGTERM and wait for the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL (a crash) and wait. */
  kill(): Promise<void>;
  /** Start again on the same port and data folder. */
  restart(): Promise<void>;
}

/** Options for {@link startHub}. */
export interface StartHubOptions {
  dataDir?: string;
  /** Extra `serve` flags, e.g. ['--max-text-bytes', '1000']. */
  args?: string[];
  env?: Record<string, string>;
}

/** Starts the built hub as a child process and waits until it listens. */
export async function startHub(options: StartHubOptions = {}): Promise<TestHub> {
  if (!existsSync(hubBundle)) throw new Error(`${hubBundle} is missing: the vitest globalSetup builds it`);
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'beseda-hub-'));
  const choseStore = options.args?.includes('--store') || options.env?.BESEDA_STORE !== undefined;
  let storeArgs: string[] = [];
  if (process.env.BESEDA_TEST_STORE === 'postgres' && !choseStore) {
    if (!postgresOfDataDir.has(dataDir)) postgresOfDataDir.set(dataDir, databaseOfThisFile());
    storeArgs = ['--store', await postgresOfDataDir.get(dataDir)!];
  }
  const output: string[] = [];
  let port = 0;
  let child!: ChildProcess;
  let admin: TestHub['admin'] = null;

  const launch = async () => {
    const args = [
      hubBundle,
      'serve',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--data',
      dataDir,
      // Cheap hashing unless a test asks for a cost of its own (a flag given twice is an error).
      ...(options.args?.includes('--scrypt-n') ? [] : ['--scrypt-n', '1024']),
      '--log-level',
      'info',
      ...(existsSync(webRoot) ? ['--web-root', webRoot] : []),
      ...storeArgs,
      ...(options.args ?? []),
    ];
    child = spawn(process.execPath, args, {
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    const listening = new Promise<number>((resolve, reject) => {
      let stdout = '';
      child.stdout!.setEncoding('utf8');
      child.stdout!.on('data', (chunk: string) => {
        stdout += chunk;
        let nl;
        while ((nl = stdout.indexOf('\n')) >= 0) {
          const line = stdout.slice(0, nl);
          stdout = stdout.slice(nl + 1);
          output.push(line);
          try {
            const entry = JSON.parse(line) as { msg?: string; port?: number };
            if (entry.msg === 'listening' && entry.port) resolve(entry.port);
          } catch {
            // not a log line
          }
        }
      });
      child.stderr!.setEncoding('utf8');
      child.stderr!.on('data', (chunk: string) => {
        stderr += chunk;
        output.push(chunk);
        const m = /administrator "([^"]+)" with the password\n\s+(\S+)/.exec(stderr);
        if (m) admin = { login: m[1]!, password: m[2]! };
      });
      child.once('exit', (code) =>
        reject(new Error(`hub exited with ${code} before listening:\n${output.join('\n')}`)),
      );
    });
    port = await listening;
    // Not a terminal: the first start wrote the administrator's password to a 0600 file (before it listened).
    const passwordFile = path.join(dataDir, 'initial-admin-password.txt');
    if (!admin && existsSync(passwordFile)) {
      const text = readFileSync(passwordFile, 'utf8');
      const login = /^login: (\S+)$/m.exec(text)?.[1];
      const password = /^password: (\S+)$/m.exec(text)?.[1];
      if (login && password) admin = { login, password };
    }
  };

  await launch();
  const url = () => `http://127.0.0.1:${port}`;
  const exited = () =>
    new Promise<number | null>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
      else child.once('exit', (code) => resolve(code));
    });

  const hub: TestHub = {
    get url() {
      return url();
    },
    get wsUrl() {
      return `ws://127.0.0.1:${port}/ws`;
    },
    get port() {
      return port;
    },
    dataDir,
    output,
    get process() {
      return child;
    },
    get admin() {
      return admin;
    },
    async admin_(cmd, args) {
      const answer = await sendAdminCommand(dataDir, cmd, args);
      if (!answer) throw new Error('hub admin socket not reachable');
      if (!answer.ok) throw Object.assign(new Error(answer.error.message), { code: answer.error.code });
      return answer.result;
    },
    async addUser(login, name = login, opts = {}) {
      const password = randomBytes(12).toString('base64url');
      const result = (await hub.admin_('user.add', {
        login,
        name,
        password,
        admin: opts.admin ?? false,
        branch: opts.branch ?? null,
      })) as { user: { id: number } };
      return { id: result.user.id, login, password };
    },
    async login(login, password) {
      const res = await fetch(`${url()}/api/v1/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login, password }),
      });
      const body = (await res.json()) as { token: string; user: User; error?: { message: string } };
      if (!res.ok)
        throw Object.assign(new Error(body.error?.message ?? `login failed ${res.status}`), {
          status: res.status,
          body,
        });
      return body;
    },
    async stop() {
      const done = exited();
      child.kill('SIGTERM');
      return done;
    },
    async kill() {
      const done = exited();
      child.kill('SIGKILL');
      await done;
    },
    async restart() {
      if (child.exitCode === null && child.signalCode === null) throw new Error('hub is still running');
      await launch();
    },
  };
  return hub;
}
