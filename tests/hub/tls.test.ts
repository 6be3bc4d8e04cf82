import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type TestHub } from '../helpers/startHub.ts';

let hub: TestHub;
let cert: Buffer;
beforeAll(async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'beseda-tls-'));
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: 'ignore' },
  );
  cert = readFileSync(certFile);
  hub = await startHub({ args: ['--tls-cert', certFile, '--tls-key', keyFile] });
});
afterAll(async () => {
  await hub.stop();
});

describe('TLS', () => {
  it('serves https and wss when a certificate and key are configured', async () => {
    const base = `https://127.0.0.1:${hub.port}`;
    const get = (p: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        https
          .get(`${base}${p}`, { ca: cert }, (res) => {
            let body = '';
            res.on('data', (c) => (body += c));
            res.on('end', () => resolve({ status: res.statusCode!, body }));
          })
          .on('error', reject);
      });
    expect((await get('/healthz')).status).toBe(200);
    const post = (p: string, data: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = https.request(
          `${base}${p}`,
          { method: 'POST', ca: cert, headers: { 'content-type': 'application/json' } },
          (res) => {
            let body = '';
            res.on('data', (c) => (body += c));
            res.on('end', () => resolve({ status: res.statusCode!, body }));
          },
        );
        req.on('error', reject);
        req.end(data);
      });
    const u = await hub.addUser('secure');
    const login = await post('/api/v1/login', JSON.stringify({ login: 'secure', password: u.password }));
    expect(login.status).toBe(200);
    const { token } = JSON.parse(login.body) as { token: string };
    const ws = new WebSocket(`wss://127.0.0.1:${hub.port}/ws`, ['beseda.v1', `beseda.token.${token}`], { ca: cert });
    const hello = await new Promise<{ type: string }>((resolve, reject) => {
      ws.once('message', (d) => resolve(JSON.parse(d.toString())));
      ws.once('error', reject);
    });
    expect(hello.type).toBe('hello');
    ws.close();
    // Plain http on the TLS port is not served.
    await expect(fetch(`http://127.0.0.1:${hub.port}/healthz`)).rejects.toThrow();
  });
});
