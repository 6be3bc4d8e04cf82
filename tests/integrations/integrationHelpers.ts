import { spawnSync } from 'node:child_process';
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

/** One HTTP request to a hub, the body read completely (so the connection is released). */
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
  const res = await fetch(`${hub.url}${path}`, {
    method,
    headers,
    body: typeof body === 'string' || body === undefined ? body : Buffer.from(body),
    redirect: 'manual',
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

/** Runs `beseda-hub …` as IT would (against the running hub through its admin socket). */
export function cli(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [hubBundle, ...args], {
    input,
    encoding: 'utf8',
    env: { ...process.env, BESEDA_SCRYPT_N: '1024' },
    timeout: 20_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
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
