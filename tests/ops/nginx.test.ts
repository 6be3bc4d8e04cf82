// The shipped deploy/nginx/beseda.conf in front of a real hub, with the real nginx
// (/usr/sbin/nginx as a normal process in a temporary prefix, on free ports; the example changed only
// for ports and paths). People connect from 127.0.0.2 and 127.0.0.3; nginx reaches the hub from
// 127.0.0.1, the only address the hub trusts (--trust-proxy 127.0.0.1). Through it: the redirect to
// https, the web client, sign-in, a WebSocket conversation, file upload (sized and chunked) and
// download with Range, the hub's own refusal of a file too large; the hub sees each person's
// address and never the one a client wrote into X-Forwarded-For itself.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../hub/serveProcess.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { freePort, makeCertificate, ProtocolSocket, request, signIn, type Via, waitForLog } from './proxyHelpers.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const nginxBinary = '/usr/sbin/nginx';
const example = readFileSync(path.join(root, 'deploy/nginx/beseda.conf'), 'utf8');
/** nginx's worker drops root (as CI runs) for this account; the prefix is handed to it. */
const nobody = 65534;
const asRoot = process.getuid?.() === 0;

/** The example with only its ports and paths changed; each replaced text must occur exactly once. */
function templated(
  ports: { http: number; https: number; hub: number },
  dir: string,
  cert: { cert: string; key: string },
) {
  const changes: [string, string][] = [
    ['server 127.0.0.1:8080;', `server 127.0.0.1:${ports.hub};`],
    ['listen 80;', `listen 127.0.0.1:${ports.http};`],
    ['listen 443 ssl http2;', `listen 127.0.0.1:${ports.https} ssl http2;`],
    ['ssl_certificate     /etc/ssl/beseda/fullchain.pem;', `ssl_certificate ${cert.cert};`],
    ['ssl_certificate_key /etc/ssl/beseda/privkey.pem;', `ssl_certificate_key ${cert.key};`],
    ['root /var/www/letsencrypt;', `root ${path.join(dir, 'acme')};`],
    ['access_log /var/log/nginx/beseda.access.log beseda;', `access_log ${path.join(dir, 'access.log')} beseda;`],
  ];
  let text = example;
  for (const [from, to] of changes) {
    expect(text.split(from).length - 1, `"${from}" in deploy/nginx/beseda.conf`).toBe(1);
    text = text.replace(from, to);
  }
  return text;
}

/** The main nginx.conf around the example: everything nginx would write goes into the prefix. */
const mainConf = (dir: string) => `
worker_processes 1;
error_log ${dir}/error.log info;
pid ${dir}/nginx.pid;
events { worker_connections 256; }
http {
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  access_log ${dir}/other-access.log;
  include ${dir}/beseda.conf;
}
`;

describe('deploy/nginx/beseda.conf in front of a hub', () => {
  let hub: TestHub;
  let dir: string;
  let nginx: ChildProcess;
  let nginxLog = '';
  let base: string;
  let ca: Buffer;
  let ports: { http: number; https: number; hub: number };
  /** A person on another machine (127.0.0.x) who also tries to pass as 203.0.113.66. */
  const from = (host: string, headers: Record<string, string> = {}): Via => ({
    localAddress: host,
    ca,
    headers: { 'x-forwarded-for': '203.0.113.66', ...headers },
  });

  beforeAll(async () => {
    // A test dependency like Chromium (.ci/run installs it): missing, this fails rather than passes unseen.
    if (!existsSync(nginxBinary)) throw new Error(`${nginxBinary} is missing: apt-get install nginx`);
    hub = await startHub({ args: ['--trust-proxy', '127.0.0.1', '--max-file-bytes', '5000000'] });
    dir = mkdtempSync(path.join(os.tmpdir(), 'beseda-nginx-'));
    mkdirSync(path.join(dir, 'acme'));
    const cert = makeCertificate(dir, 'site');
    ca = readFileSync(cert.cert);
    ports = { http: await freePort(), https: await freePort(), hub: hub.port };
    writeFileSync(path.join(dir, 'beseda.conf'), templated(ports, dir, cert));
    writeFileSync(path.join(dir, 'nginx.conf'), mainConf(dir));
    if (asRoot) for (const f of ['', ...readdirSync(dir)]) chownSync(path.join(dir, f), nobody, nobody);
    const args = ['-p', `${dir}/`, '-c', path.join(dir, 'nginx.conf')];
    const user = asRoot ? { uid: nobody, gid: nobody } : {};
    // `nginx -t` accepts the configuration.
    execFileSync(nginxBinary, [...args, '-t'], { ...user, stdio: 'pipe' });
    nginx = spawn(nginxBinary, [...args, '-g', 'daemon off;'], { ...user, stdio: ['ignore', 'pipe', 'pipe'] });
    nginx.stdout!.on('data', (c: Buffer) => (nginxLog += c.toString()));
    nginx.stderr!.on('data', (c: Buffer) => (nginxLog += c.toString()));
    base = `https://127.0.0.1:${ports.https}`;
    const up = await waitFor(async () => {
      if (nginx.exitCode !== null) return true;
      try {
        return (await request(`${base}/healthz`, { ca })).status === 200;
      } catch {
        return false;
      }
    }, 30_000);
    if (!up || nginx.exitCode !== null) throw new Error(`nginx did not come up:\n${nginxLog}`);
  });
  afterAll(async () => {
    if (nginx && nginx.exitCode === null) {
      const exited = new Promise((r) => nginx.once('exit', r));
      nginx.kill('SIGQUIT');
      await exited;
    }
    await hub?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps WebSocket timeouts longer than the hub heartbeat and answers http with a redirect to https', async () => {
    const heartbeatS = 30;
    for (const directive of ['proxy_read_timeout', 'proxy_send_timeout']) {
      const seconds = Number(new RegExp(`${directive} (\\d+)s;`).exec(example)?.[1]);
      expect(seconds, directive).toBeGreaterThanOrEqual(2 * heartbeatS);
    }
    const plain = await request(`http://127.0.0.1:${ports.http}/some/page?x=1`);
    expect(plain.status).toBe(301);
    expect(plain.headers.location).toBe('https://127.0.0.1/some/page?x=1');
    // The web client's page, from the hub (its CSP); 503 is the hub's own "not built yet" page, seen
    // when another test run is rebuilding dist/web at this moment.
    const page = await request(`${base}/`, { ca });
    expect([200, 503]).toContain(page.status);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['content-security-policy']).toMatch(/default-src/);
  });

  it('signs in under the person’s own address; a forged X-Forwarded-For is not believed', async () => {
    const user = await hub.addUser('ivan');
    await signIn(base, 'ivan', user.password, from('127.0.0.2'));
    const line = await waitForLog(hub.output, (l) => l.msg === 'signed in' && l.userId === user.id);
    expect(line?.source).toBe('127.0.0.2');
    // nginx's own log names the request without secrets or query strings.
    expect(await waitFor(() => readAccessLog().includes('"POST /api/v1/login HTTP/1.1" 200'), 15_000)).toBe(true);
  });

  it('carries a WebSocket conversation between two people, and names the client in a refusal', async () => {
    const origin = { origin: base, 'x-forwarded-for': '203.0.113.66' };
    const [anna, boris] = [await hub.addUser('anna'), await hub.addUser('boris')];
    const annaToken = await signIn(base, 'anna', anna.password, from('127.0.0.2'));
    const borisToken = await signIn(base, 'boris', boris.password, from('127.0.0.3'));
    const wss = `wss://127.0.0.1:${ports.https}/ws`;
    const a = await ProtocolSocket.open(wss, annaToken, { localAddress: '127.0.0.2', ca, headers: origin });
    const b = await ProtocolSocket.open(wss, borisToken, { localAddress: '127.0.0.3', ca, headers: origin });
    const general = a.hello.conversations.find((c) => c.kind === 'general')!.id;
    const toBoris = b.next('message', (f) => f.message.text === 'Привет через nginx');
    await a.request('send', { conversationId: general, clientId: 'nginx-msg-1', text: 'Привет через nginx' });
    expect((await toBoris).message.text).toBe('Привет через nginx');
    const toAnna = a.next('message', (f) => f.message.text === 'И тебе');
    await b.request('send', { conversationId: general, clientId: 'nginx-msg-2', text: 'И тебе' });
    expect((await toAnna).message.text).toBe('И тебе');

    await expect(
      ProtocolSocket.open(wss, 'x'.repeat(43), { localAddress: '127.0.0.3', ca, headers: origin }),
    ).rejects.toMatchObject({ status: 401 });
    const refusal = await waitForLog(hub.output, (l) => l.msg === 'websocket refused' && l.status === 401);
    expect(refusal?.remote).toBe('127.0.0.3');
    a.close();
    b.close();
  });

  it('uploads and downloads files through it (sized, chunked, Range); the hub answers a file too large', async () => {
    const user = await hub.addUser('olga');
    const token = await signIn(base, 'olga', user.password, from('127.0.0.2'));
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' };
    const bytes = randomBytes(3_000_000);
    const name = encodeURIComponent('отчёт.bin');
    const sized = await request(`${base}/api/v1/files?name=${name}`, {
      ...from('127.0.0.2', auth),
      method: 'POST',
      body: bytes,
    });
    expect(sized.status, sized.body.toString()).toBe(201);
    const id = (JSON.parse(sized.body.toString()) as { file: { id: string } }).file.id;

    const chunked = await chunkedUpload(`${base}/api/v1/files?name=${name}`, auth, bytes);
    expect(chunked.status, chunked.body).toBe(201);

    const whole = await request(`${base}/api/v1/files/${id}`, from('127.0.0.2', { authorization: `Bearer ${token}` }));
    expect(whole.status).toBe(200);
    expect(sha256(whole.body)).toBe(sha256(bytes));
    const part = await request(`${base}/api/v1/files/${id}`, {
      ...from('127.0.0.2', { authorization: `Bearer ${token}`, range: 'bytes=1000000-1000999' }),
    });
    expect(part.status).toBe(206);
    expect(part.body.equals(bytes.subarray(1_000_000, 1_001_000))).toBe(true);

    const tooLarge = await request(`${base}/api/v1/files?name=big.bin`, {
      ...from('127.0.0.2', auth),
      method: 'POST',
      body: randomBytes(6_000_000),
    });
    expect(tooLarge.status).toBe(413);
    expect(JSON.parse(tooLarge.body.toString())).toMatchObject({ error: { code: 'file_too_large' } });
  });

  it('logs requests without the secrets in hook and embed paths or download keys', async () => {
    const secret = 'Zq8dW3kLmN0pQ4rS7tUv';
    await request(`${base}/hooks/${secret}`, { ...from('127.0.0.2'), method: 'POST', body: '{}' });
    await request(`${base}/embed/${secret}`, from('127.0.0.2'));
    await request(`${base}/api/v1/files/AAAAAAAAAAAAAAAAAAAAAA?key=${secret}`, from('127.0.0.2'));
    expect(await waitFor(() => readAccessLog().includes('/embed/Zq8d... HTTP/1.1'), 15_000)).toBe(true);
    await waitFor(() => readAccessLog().includes('/api/v1/files/AAAAAAAAAAAAAAAAAAAAAA HTTP/1.1'), 15_000);
    const log = readAccessLog();
    expect(log).toContain('"POST /hooks/Zq8d... HTTP/1.1"');
    expect(log).toContain('"GET /api/v1/files/AAAAAAAAAAAAAAAAAAAAAA HTTP/1.1"');
    expect(log).not.toContain(secret);
    expect(log).toMatch(/^127\.0\.0\.2 /m);
  });

  /** nginx's access log for the hub (written by the worker). */
  function readAccessLog(): string {
    try {
      return readFileSync(path.join(dir, 'access.log'), 'utf8');
    } catch {
      return '';
    }
  }

  /** An upload without Content-Length (Transfer-Encoding: chunked), written in pieces. */
  function chunkedUpload(url: string, headers: Record<string, string>, body: Buffer) {
    return new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = https.request(
        url,
        { method: 'POST', headers, ca, localAddress: '127.0.0.3', agent: false },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode!, body: text }));
        },
      );
      req.on('error', reject);
      for (let i = 0; i < body.length; i += 256 * 1024) req.write(body.subarray(i, i + 256 * 1024));
      req.end();
    });
  }
});

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
