// The Zabbix media type (integrations/zabbix/): its script run as Zabbix runs it — the body of
// `function (value) {…}` with the parameters' JSON — in node's vm under a stand-in of Zabbix's
// scripting API (HttpRequest with a synchronous post, as Duktape's is; Zabbix.log recorded), posting
// to a real hub through a real hook. Where Zabbix's own `zabbix_js` is installed (ZABBIX_JS=path,
// or /usr/bin/zabbix_js), the same script also runs in Zabbix's real engine against the hub.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../common/protocol/model.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { http, runCli } from './integrationHelpers.ts';

const folder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../integrations/zabbix');
const script = readFileSync(path.join(folder, 'beseda.js'), 'utf8');
const mediaYaml = readFileSync(path.join(folder, 'media_beseda.yaml'), 'utf8');
const require = createRequire(import.meta.url);
// js-yaml is a devDependency (it ships no types); acorn is ESLint's parser (espree's), not our own.
const yaml = require('js-yaml') as { load(text: string): unknown };
const acorn = require('acorn') as { parse(code: string, options: { ecmaVersion: number }): unknown };

/** How Zabbix compiles a webhook script: the body of a function of the parameters' JSON. */
const asZabbixFunction = (body: string) => `(function (value) {\n${body}\n})`;

/** A child that does one fetch and prints the answer: the stand-in's post must block, as Zabbix's does. */
const fetcher = `
let input = '';
process.stdin.on('data', (c) => (input += c)).on('end', async () => {
  const r = JSON.parse(input);
  const res = await fetch(r.url, { method: r.method, headers: r.headers, body: r.body });
  process.stdout.write(JSON.stringify({ status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() }));
});`;

/** Zabbix's HttpRequest, as much of it as the script uses (addHeader "Name: value", post, getStatus, getHeaders). */
class StandInHttpRequest {
  readonly sent: { url: string; headers: Record<string, string>; body: string }[] = [];
  private readonly headers: Record<string, string> = {};
  private status = 0;
  private answerHeaders: Record<string, string> = {};
  proxy = '';

  addHeader(line: string): void {
    const colon = line.indexOf(':');
    this.headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  setProxy(proxy: string): void {
    this.proxy = proxy;
  }
  getStatus(): number {
    return this.status;
  }
  getHeaders(): Record<string, string> {
    return this.answerHeaders;
  }
  post(url: string, body: string): string {
    this.sent.push({ url, headers: { ...this.headers }, body });
    const r = spawnSync(process.execPath, ['-e', fetcher], {
      input: JSON.stringify({ method: 'POST', url, headers: this.headers, body }),
      encoding: 'utf8',
      timeout: 60_000,
    });
    // Zabbix throws an Error "cannot get URL: <curl's reason>" when no answer came.
    if (r.status !== 0) throw new Error(`cannot get URL: ${r.stderr.trim().split('\n').pop() ?? r.error}`);
    const answer = JSON.parse(r.stdout) as { status: number; headers: Record<string, string>; body: string };
    this.status = answer.status;
    this.answerHeaders = answer.headers;
    return answer.body;
  }
}

/** One media type parameter as the export lists it. */
interface Parameter {
  name: string;
  value: string;
}

interface Run {
  ok: boolean;
  result?: unknown;
  error?: string;
  log: { level: number; message: string }[];
  requests: StandInHttpRequest[];
}

/** Runs the media type's script with these parameters, as Zabbix would for one alert. */
function runScript(params: Record<string, string>): Run {
  const log: Run['log'] = [];
  const requests: StandInHttpRequest[] = [];
  const context = vm.createContext({
    HttpRequest: function HttpRequest() {
      const request = new StandInHttpRequest();
      requests.push(request);
      return request;
    },
    Zabbix: { log: (level: number, message: string) => log.push({ level, message }) },
  });
  const fn = vm.runInContext(asZabbixFunction(script), context) as (value: string) => unknown;
  try {
    return { ok: true, result: fn(JSON.stringify(params)), log, requests };
  } catch (err) {
    return { ok: false, error: String(err), log, requests };
  }
}

let hub: TestHub;
let socket: TestSocket;
let roomId: number;
let hookUrl: string;

/** `hook add` as IT runs it: the address to paste into the Zabbix user's media "Send to". */
async function addHook(target: TestHub, room: string): Promise<string> {
  const r = await runCli(['hook', 'add', '--room', room, '--name', 'Zabbix', '--data', target.dataDir]);
  expect(r.code, r.err).toBe(0);
  const hookPath = /^\s+(\/hooks\/[A-Za-z0-9_-]+)$/m.exec(r.out)?.[1];
  expect(hookPath).toBeDefined();
  return `${target.url}${hookPath}`;
}

/** A trigger's problem event as Zabbix resolves the media type's parameters (every value a string). */
function problemEvent(): Record<string, string> {
  return {
    alert_message: 'Началась в 01:02:03 2026.12.03\nУзел: srv-1c\nВажность: High\nДанные: CPU 97 %\nСобытие: 4711\n',
    alert_subject: 'Проблема: Нагрузка ЦП > 90% <!channel>',
    event_duration: '0s',
    event_id: '4711',
    event_name: 'Нагрузка ЦП > 90% <!channel>',
    event_nseverity: '4',
    event_opdata: 'CPU 97 %',
    event_severity: 'High',
    event_source: '0',
    event_update_status: '0',
    event_value: '1',
    hook_url: hookUrl,
    host_name: 'srv-1c',
    http_proxy: '',
    lang: 'ru',
    trigger_id: '23456',
    username: 'Zabbix',
    zabbix_url: 'https://zabbix.corp.local/',
  };
}

/** Runs the script and returns the message the connected client received from the hook. */
async function posted(params: Record<string, string>): Promise<{ message: Message; run: Run }> {
  const next = socket.next('message', (f) => f.message.conversationId === roomId, 30_000);
  next.catch(() => undefined);
  const run = runScript(params);
  expect(run.error).toBeUndefined();
  expect(run.result).toBe('OK');
  return { message: (await next).message, run };
}

/** The refusal Zabbix's action log shows when the hub limits the hook's rate (429 with Retry-After). */
const rateLimited =
  /^Beseda notification failed: Beseda asks to wait \(HTTP 429, Retry-After: [1-9]\d* s\): .+; Zabbix sends it again per the media type's attempts$/;

/**
 * Posts problems through a hook of a hub that allows two at once, then one per 10 s, until one is
 * refused: the third or (on a very slow machine) a later one; that refusal must name Retry-After.
 */
async function untilRateLimited(run: (params: Record<string, string>) => { ok: boolean; error?: string }) {
  const slow = await startHub({ args: ['--send-per-second', '0.1', '--send-burst', '2'] });
  try {
    const u = await slow.addUser('petrov', 'Пётр Петров');
    const s = await TestSocket.open(slow.wsUrl, (await slow.login('petrov', u.password)).token);
    await s.request('rooms.create', { name: 'Мониторинг', kind: 'open' });
    s.close();
    const url = await addHook(slow, 'Мониторинг');
    const runs: { ok: boolean; error?: string }[] = [];
    while (runs.length < 8 && (runs.at(-1)?.ok ?? true)) runs.push(run({ ...problemEvent(), hook_url: url }));
    expect(runs[0]!.ok, runs[0]!.error).toBe(true);
    expect(runs.at(-1)!.ok).toBe(false);
    expect(runs.at(-1)!.error).toMatch(rateLimited);
  } finally {
    await slow.stop();
  }
}

beforeAll(async () => {
  hub = await startHub();
  const u = await hub.addUser('ivanov', 'Иван Иванов');
  socket = await TestSocket.open(hub.wsUrl, (await hub.login('ivanov', u.password)).token);
  roomId = (
    await socket.request<{ conversation: { id: number } }>('rooms.create', { name: 'Мониторинг', kind: 'open' })
  ).conversation.id;
  hookUrl = await addHook(hub, 'Мониторинг');
}, 120_000);
afterAll(async () => {
  socket?.close();
  await hub?.stop();
});

describe('the media type file', () => {
  it('is a Zabbix 6.0 export of one webhook whose script is beseda.js, with a parameter for every one it reads', () => {
    const doc = yaml.load(mediaYaml) as { zabbix_export: { version: string; media_types: Record<string, unknown>[] } };
    expect(doc.zabbix_export.version).toBe('6.0');
    expect(doc.zabbix_export.media_types).toHaveLength(1);
    const media = doc.zabbix_export.media_types[0]!;
    expect(media).toMatchObject({ name: 'Beseda', type: 'WEBHOOK' });
    expect(media.script).toBe(script);
    // The tags Zabbix 6.0.14's importer (C60XmlValidator) accepts for a media type; any other fails the import.
    const known = [
      'name', 'type', 'parameters', 'status', 'max_sessions', 'attempts', 'attempt_interval', 'script', 'timeout',
      'process_tags', 'show_event_menu', 'event_menu_url', 'event_menu_name', 'description', 'message_templates',
    ]; // prettier-ignore
    expect(Object.keys(media).filter((k) => !known.includes(k))).toEqual([]);
    // Ranges the 6.0 API checks: timeout 1–60 s, attempts 1–100, attempt interval 0–1 h.
    expect(Number(/^(\d+)s$/.exec(String(media.timeout))?.[1])).toBeGreaterThanOrEqual(1);
    expect(Number(/^(\d+)s$/.exec(String(media.timeout))?.[1])).toBeLessThanOrEqual(60);
    expect(Number(media.attempts)).toBeGreaterThanOrEqual(1);
    expect(Number(/^(\d+)s$/.exec(String(media.attempt_interval))?.[1])).toBeLessThanOrEqual(3600);

    const parameters = media.parameters as Parameter[];
    const names = parameters.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const p of parameters) expect(typeof p.value, p.name).toBe('string');
    const read = new Set([...script.matchAll(/params\.([a-z_]+)/g)].map((m) => m[1]!));
    expect([...read].filter((name) => !names.includes(name))).toEqual([]);
    expect(parameters.find((p) => p.name === 'hook_url')?.value).toBe('{ALERT.SENDTO}');
    expect(parameters.find((p) => p.name === 'zabbix_url')?.value).toBe('{$ZABBIX.URL}');

    const templates = media.message_templates as { event_source: string; operation_mode: string }[];
    for (const mode of ['PROBLEM', 'RECOVERY', 'UPDATE'])
      expect(
        templates.some((t) => t.event_source === 'TRIGGERS' && t.operation_mode === mode),
        mode,
      ).toBe(true);
  });

  it('the script is ES5 (Duktape), checked with acorn at ecmaVersion 5 — which does refuse ES2015', () => {
    expect(() => acorn.parse(asZabbixFunction(script), { ecmaVersion: 5 })).not.toThrow();
    expect(() => acorn.parse(asZabbixFunction('var f = () => `x`;'), { ecmaVersion: 5 })).toThrow();
    expect(() => acorn.parse(asZabbixFunction('let x = 1;'), { ecmaVersion: 5 })).toThrow();
  });
});

describe('alerts posted to a real hook', () => {
  it('a problem: severity and host in the text, a card coloured by severity with fields and a link to the event', async () => {
    const { message, run } = await posted(problemEvent());
    // The problem's name is shown as written: its "<!channel>" is text, not a mention of everyone.
    expect(message.text).toBe('Проблема · High · srv-1c: Нагрузка ЦП > 90% <!channel>');
    expect(message.mentionsAll).toBe(false);
    expect(message.displayName).toBe('Zabbix');
    expect(message.attachments).toEqual([
      expect.objectContaining({
        color: '#e97659',
        title: 'Проблема: Нагрузка ЦП > 90% <!channel>',
        titleLink: 'https://zabbix.corp.local/tr_events.php?triggerid=23456&eventid=4711',
        text: expect.stringContaining('Началась в 01:02:03 2026.12.03\nУзел: srv-1c'),
        fields: [
          { title: 'Узел', value: 'srv-1c', short: true },
          { title: 'Важность', value: 'High', short: true },
          { title: 'Событие', value: '4711', short: true },
          { title: 'Данные', value: 'CPU 97 %', short: false },
        ],
        footer: 'Zabbix',
      }),
    ]);
    expect(run.requests[0]!.sent[0]!.headers['Content-Type']).toBe('application/json; charset=utf-8');
    // The hook's secret stays out of Zabbix's log (the address is shown cut after 4 characters).
    const secret = hookUrl.split('/hooks/')[1]!;
    expect(run.log.length).toBeGreaterThan(0);
    for (const line of run.log) expect(line.message).not.toContain(secret);
  });

  it('its recovery: green, "Решено", with the duration', async () => {
    const { message } = await posted({
      ...problemEvent(),
      event_value: '0',
      event_duration: '5m 3s',
      alert_subject: 'Решено за 5m 3s: Нагрузка ЦП > 90%',
      alert_message: 'Решена в 01:07:06 2026.12.03\nДлительность: 5m 3s\n',
      event_name: 'Нагрузка ЦП > 90%',
    });
    expect(message.text).toBe('Решено · High · srv-1c: Нагрузка ЦП > 90%');
    expect(message.attachments?.[0]).toMatchObject({
      color: '#009900',
      title: 'Решено за 5m 3s: Нагрузка ЦП > 90%',
      titleLink: 'https://zabbix.corp.local/tr_events.php?triggerid=23456&eventid=4711',
      text: 'Решена в 01:07:06 2026.12.03\nДлительность: 5m 3s',
    });
    expect(message.attachments?.[0]?.fields).toContainEqual({ title: 'Длительность', value: '5m 3s', short: true });
  });

  it('an update (acknowledged, in English): "Updated", who did what; no link when {$ZABBIX.URL} is not defined', async () => {
    const { message } = await posted({
      ...problemEvent(),
      event_update_status: '1',
      lang: 'en',
      alert_subject: 'Updated: Нагрузка ЦП > 90%',
      alert_message: 'Иван Петров acknowledged problem at 2026.12.03 01:05:00\nСмотрю & чиню <srv-1c>\n',
      event_name: 'Нагрузка ЦП > 90%',
      // Unresolved macros, as Zabbix leaves them: no global macro, no operational data.
      zabbix_url: '{$ZABBIX.URL}',
      event_opdata: '*UNKNOWN*',
    });
    expect(message.text).toBe('Updated · High · srv-1c: Нагрузка ЦП > 90%');
    const card = message.attachments?.[0];
    expect(card).toMatchObject({
      color: '#e97659',
      title: 'Updated: Нагрузка ЦП > 90%',
      text: 'Иван Петров acknowledged problem at 2026.12.03 01:05:00\nСмотрю & чиню <srv-1c>',
    });
    expect(card?.titleLink).toBeUndefined();
    expect(card?.fields?.map((f) => f.title)).toEqual(['Host', 'Severity', 'Event']);
  });

  it("the media type's Test button: the imported parameters as they are (macros unresolved), only hook_url filled in", async () => {
    const doc = yaml.load(mediaYaml) as { zabbix_export: { media_types: { parameters: Parameter[] }[] } };
    const params = Object.fromEntries(doc.zabbix_export.media_types[0]!.parameters.map((p) => [p.name, p.value]));
    const { message } = await posted({ ...params, hook_url: hookUrl });
    expect(message.text).toBe('Проблема');
    expect(message.displayName).toBe('Zabbix');
    expect(message.attachments?.[0]).toMatchObject({ color: '#97aab3', footer: 'Zabbix' });
    expect(message.attachments?.[0]?.fields).toBeUndefined();
  });
});

describe('refusals fail the alert with the reason', () => {
  it("a wrong secret: the hub's own answer, and a warning in Zabbix's log; no message posted", async () => {
    const wrong = `${hub.url}/hooks/${'Z'.repeat(43)}`;
    const direct = await http(hub, 'POST', `/hooks/${'Z'.repeat(43)}`, { json: { text: 'x' } });
    expect(direct.status).toBe(404);
    // Plain text as Slack answers, or the older JSON error: the script reports either as the hub's reason.
    // Slack's form is two lines (the error word, then the hub's words), which the script joins into one.
    const reason =
      typeof direct.body === 'object' && direct.body?.error
        ? direct.body.error.message
        : direct.text
            .trim()
            .split(/\s*\n\s*/)
            .join(': ');
    expect(reason).not.toBe('');
    const run = runScript({ ...problemEvent(), hook_url: wrong });
    expect(run.ok).toBe(false);
    expect(run.error).toBe(`Beseda notification failed: Beseda refused the alert (HTTP 404): ${reason}`);
    expect(run.log).toContainEqual({ level: 3, message: expect.stringContaining('HTTP 404') });
    for (const line of run.log) expect(line.message).not.toContain('Z'.repeat(10));
  });

  it('no hook address (the user\'s "Send to" left empty, {ALERT.SENDTO} unresolved) and an unreachable hub', () => {
    const empty = runScript({ ...problemEvent(), hook_url: '{ALERT.SENDTO}' });
    expect(empty.error).toMatch(/hook address is missing or malformed \(empty\).*"Send to"/);
    expect(empty.requests).toHaveLength(0);
    const notAHook = runScript({ ...problemEvent(), hook_url: `${hub.url}/api/v1/messages` });
    expect(notAHook.error).toMatch(/missing or malformed/);
    // Port 9 (discard) on this machine: nothing listens, so the connection is refused.
    const down = runScript({ ...problemEvent(), hook_url: 'http://127.0.0.1:9/hooks/abcdefghijkl' });
    expect(down.error).toMatch(
      /^Beseda notification failed: cannot reach Beseda at http:\/\/127\.0\.0\.1:9\/hooks\/abcd…: /,
    );
  });

  it('429 from a hub that limits the rate: fails naming Retry-After, so Zabbix retries later', async () => {
    await untilRateLimited((params) => runScript(params));
  }, 120_000);
});

/** Zabbix's own script runner, when this machine has one (Debian: zabbix-server-* / zabbix-proxy-*). */
// .ci/run installs it to /usr/local/bin, so in CI (CI set) these tests run, never skip.
const zabbixJs = [process.env.ZABBIX_JS, '/usr/local/bin/zabbix_js', '/usr/bin/zabbix_js'].find(
  (p) => p && existsSync(p),
);

describe.skipIf(!zabbixJs && !process.env.CI)("Zabbix's own engine (zabbix_js)", () => {
  /** Runs the script in zabbix_js as the media type would; its error is what Zabbix's action log shows. */
  const zabbixRun = (params: Record<string, string>) => {
    const r = spawnSync(zabbixJs ?? 'zabbix_js', ['-s', '-', '-p', JSON.stringify(params), '-t', '30'], {
      input: script,
      encoding: 'utf8',
      timeout: 60_000,
    });
    // zabbix_js prints its log and the error to stdout: "cannot execute script: <what the script threw>".
    const output = `${r.stdout}\n${r.stderr}`;
    const error = /cannot execute script: (.*)$/m.exec(output)?.[1];
    return { ok: r.status === 0 && r.stdout.trim() === 'OK', error, output };
  };

  it('runs the script in Duktape with the real HttpRequest and the hub stores the problem', async () => {
    const next = socket.next('message', (f) => f.message.conversationId === roomId, 30_000);
    next.catch(() => undefined);
    const r = zabbixRun(problemEvent());
    expect(r.ok, r.output).toBe(true);
    const { message } = await next;
    expect(message.text).toBe('Проблема · High · srv-1c: Нагрузка ЦП > 90% <!channel>');
    expect(message.attachments?.[0]?.color).toBe('#e97659');
  });

  it('a wrong secret and a 429 fail with the same reasons there (real getStatus and getHeaders)', async () => {
    const wrong = zabbixRun({ ...problemEvent(), hook_url: `${hub.url}/hooks/${'Z'.repeat(43)}` });
    expect(wrong.ok).toBe(false);
    expect(wrong.error).toMatch(/^Beseda notification failed: Beseda refused the alert \(HTTP 404\): .+/);
    await untilRateLimited(zabbixRun);
  }, 120_000);
});
