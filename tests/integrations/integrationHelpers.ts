import { spawn, spawnSync } from 'node:child_process';
import { hubBundle, type TestHub } from '../helpers/startHub.ts';

/** A parsed JSON body whose shape each test asserts itself. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Loose = any;

/** An HTTP answer with its body read (JSON when it is JSON). */
export interface Answer {
  status: number;
  headers: Headers;
  body: Loose;
  text: string;
}

/** Methods a client may repeat: the hub did nothing, or does the same again. */
const idempotent = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/** Lets the event loop run one full turn (timers, then I/O): two immediates span a poll phase. */
const turn = () => new Promise<void>((r) => setImmediate(() => setImmediate(r)));

/** Whether fetch failed because the connection closed before any answer came (keep-alive race). */
function closedEarly(err: unknown): boolean {
  const code = (err as { cause?: { code?: string } }).cause?.code;
  return code === 'UND_ERR_SOCKET' || code === 'ECONNRESET';
}

/**
 * One HTTP request to a hub, the body read completely (so the connection is released).
 *
 * `cli()` blocks this process (spawnSync) for seconds on a loaded machine; the hub may close an
 * idle keep-alive connection meanwhile, and a request sent right after on that pooled connection
 * fails with "other side closed" (seen at load average 24: a 10 s `hook add`, then the POST).
 * So the loop gets one turn first — the hub's close is read and the pool drops the connection —
 * and an idempotent request is sent once more if its connection closed before any answer.
 */
export async function http(
  hub: TestHub,
  method: string,
  path: string,
  options: { token?: string; json?: unknown; body?: string | Uint8Array; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | Uint8Array | undefined = options.body;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] ??= 'application/json';
  }
  const send = () =>
    fetch(`${hub.url}${path}`, {
      method,
      headers,
      body: typeof body === 'string' || body === undefined ? body : Buffer.from(body),
      redirect: 'manual',
    });
  await turn();
  const res = await send().catch((err: unknown) => {
    if (!idempotent.has(method.toUpperCase()) || !closedEarly(err)) throw err;
    return send();
  });
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

/** How long a `beseda-hub …` command may take before it counts as hung (a loaded machine is slow). */
const cliDeadlineMs = 120_000;

/**
 * Runs `beseda-hub …` as IT would (against the running hub through its admin socket).
 *
 * It blocks this process until the command ends — 10 to 20 s on a loaded machine — and nothing
 * else runs meanwhile: timers expire, the hub's pings go unanswered (a heartbeat may drop an open
 * socket), an idle HTTP connection gets closed. With sockets open, use {@link runCli}.
 */
export function cli(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [hubBundle, ...args], {
    input,
    encoding: 'utf8',
    env: { ...process.env, BESEDA_SCRYPT_N: '1024' },
    timeout: cliDeadlineMs,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** {@link cli} without blocking: the test's sockets keep answering while the command runs. */
export function runCli(args: string[], input?: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [hubBundle, ...args], {
      env: { ...process.env, BESEDA_SCRYPT_N: '1024' },
      timeout: cliDeadlineMs,
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, out, err }));
    child.stdin.end(input);
  });
}

/** Creates a bot through the admin socket; returns its token. */
export async function addBot(
  hub: TestHub,
  login: string,
  opts: { rooms?: string[]; embed?: boolean; directory?: boolean; name?: string } = {},
): Promise<{ token: string; id: number }> {
  const result = (await hub.admin_('bot.add', { login, ...opts })) as { token: string; bot: { id: number } };
  return { token: result.token, id: result.bot.id };
}

/**
 * JSON as 1C:Enterprise's `ЗаписатьJSON` writes it by default: CRLF line breaks, one tab per
 * level, `"key": value` with a space, non-ASCII characters as they are (not escaped).
 */
export function json1C(value: unknown, depth = 0): string {
  const pad = '\t'.repeat(depth + 1);
  const end = '\t'.repeat(depth);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\r\n${value.map((v) => pad + json1C(v, depth + 1)).join(',\r\n')}\r\n${end}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return '{}';
    return `{\r\n${entries.map(([k, v]) => `${pad}${JSON.stringify(k)}: ${json1C(v, depth + 1)}`).join(',\r\n')}\r\n${end}}`;
  }
  return JSON.stringify(value);
}

/** The UTF-8 byte-order mark 1C may put before a body. */
export const bom = new Uint8Array([0xef, 0xbb, 0xbf]);

/** A body as bytes with a byte-order mark in front. */
export function withBom(text: string): Uint8Array {
  const bytes = new TextEncoder().encode(text);
  const out = new Uint8Array(bom.length + bytes.length);
  out.set(bom, 0);
  out.set(bytes, bom.length);
  return out;
}

/** A unique client id for a test. */
export function clientId(tag: string): string {
  return `${tag}-${Math.random().toString(36).slice(2, 12)}`.replace(/[^A-Za-z0-9_-]/g, '');
}
