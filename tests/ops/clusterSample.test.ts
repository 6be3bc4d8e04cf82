// deploy/cluster/ (issue 20, point 6): the sample IT copies for three hub nodes with PostgreSQL,
// Redis and a load balancer. Every node's hub.json loads as a serving node's settings and agrees
// with the balancers' server lines; HAProxy (`haproxy -c`), nginx's stream {} (`nginx -t` with the
// stream module) and the systemd drop-in (`systemd-analyze verify`) accept their files; timeouts
// outlast the heartbeat. Then the shipped haproxy.cfg (ports, certificate and node addresses
// changed only) runs in front of a real three-node cluster: people sign in under their own
// addresses, a conversation crosses nodes over wss, a killed node is skipped, and while Redis is
// away for every node (all `degraded`) HAProxy still hands requests to the nodes instead of
// refusing everyone.
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkNodeSettings, loadConfig } from '../../hub/config/loadConfig.ts';
import { waitFor } from '../hub/serveProcess.ts';
import { clusterAvailable, clusterSkipReason, startCluster, type TestCluster } from '../helpers/startCluster.ts';
import { root } from './packHelpers.ts';
import { freePort, logLines, makeCertificate, ProtocolSocket, request, signIn } from './proxyHelpers.ts';

const sample = path.join(root, 'deploy/cluster');
const haproxyCfg = readFileSync(path.join(sample, 'haproxy.cfg'), 'utf8');
const streamConf = readFileSync(path.join(sample, 'nginx-stream.conf'), 'utf8');
const nodeFiles = ['node1', 'node2', 'node3'].map((n) => path.join(sample, n, 'hub.json'));
const haproxyBinary = '/usr/sbin/haproxy';
const streamModule = '/usr/lib/nginx/modules/ngx_stream_module.so';
/** The hub's default heartbeat (--heartbeat-ms): every balancer timeout must outlast it. */
const heartbeatS = 30;

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});
function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

/** `server NAME ADDR:PORT …` lines of the HAProxy backend: the checked ones and the backups. */
function haproxyServers(): { checked: string[]; backup: string[] } {
  const lines = [...haproxyCfg.matchAll(/^\s*server \S+ (\S+)(.*)$/gm)];
  return {
    checked: lines.filter((m) => !/\bbackup\b/.test(m[2]!)).map((m) => m[1]!),
    backup: lines.filter((m) => /\bbackup\b/.test(m[2]!)).map((m) => m[1]!),
  };
}

describe('deploy/cluster: the files', () => {
  const nodes = nodeFiles.map((file) => loadConfig({ config: file }, {}));

  it('gives every node settings a serving node accepts: one store, one Redis, one files folder, its own name', () => {
    for (const config of nodes) {
      expect(() => checkNodeSettings(config)).not.toThrow();
      expect(config.store).toMatch(/^postgres:\/\//);
      expect(config.redis).toMatch(/^redis:\/\//);
    }
    for (const key of ['store', 'redis', 'filesDir', 'publicUrl', 'trustProxy', 'port'] as const)
      expect(new Set(nodes.map((c) => JSON.stringify(c[key]))).size, key).toBe(1);
    expect(new Set(nodes.map((c) => c.nodeId)).size).toBe(3);
    expect(new Set(nodes.map((c) => c.host)).size).toBe(3);
    // A shared folder, never the default inside each node's own data folder.
    expect(nodes[0]!.filesDir).not.toContain(nodes[0]!.dataDir);
  });

  it('balances over exactly those nodes, and the nodes trust only the balancer', () => {
    const addresses = nodes.map((c) => `${c.host}:${c.port}`);
    const { checked, backup } = haproxyServers();
    expect(checked).toEqual(addresses);
    expect(backup).toEqual(addresses);
    expect(haproxyCfg).toMatch(/option httpchk GET \/healthz/);
    // The balancer's address: the sample's network plan puts it at .10, below the nodes.
    expect(nodes[0]!.trustProxy).toEqual(['10.0.0.10']);
    // nginx stream: the same hosts, TLS at the hubs (another port), and no trust asked of them.
    const streamHosts = [...streamConf.matchAll(/^\s*server (\d[\d.]*):\d+/gm)].map((m) => m[1]);
    expect(streamHosts).toEqual(nodes.map((c) => c.host));
  });

  it('keeps every balancer timeout on an open WebSocket longer than the heartbeat', () => {
    for (const directive of ['timeout tunnel', 'timeout client', 'timeout server']) {
      const seconds = Number(new RegExp(`${directive} (\\d+)s`).exec(haproxyCfg)?.[1]);
      expect(seconds, directive).toBeGreaterThanOrEqual(2 * heartbeatS);
    }
    expect(Number(/proxy_timeout (\d+)s;/.exec(streamConf)?.[1])).toBeGreaterThanOrEqual(2 * heartbeatS);
  });

  it('is accepted by haproxy -c', (ctx) => {
    if (!existsSync(haproxyBinary)) return ctx.skip();
    const dir = tempDir('beseda-haproxy-check-');
    const cert = makeCertificate(dir, 'site');
    const pem = path.join(dir, 'site-bundle.pem');
    writeFileSync(pem, readFileSync(cert.cert, 'utf8') + readFileSync(cert.key, 'utf8'));
    const file = path.join(dir, 'haproxy.cfg');
    writeFileSync(file, haproxyCfg.replace('/etc/haproxy/certs/chat.example.ru.pem', pem));
    const run = spawnSync(haproxyBinary, ['-c', '-f', file], { encoding: 'utf8' });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout + run.stderr).not.toMatch(/WARNING|ALERT/);
  });

  it('is accepted by nginx -t with the stream module', (ctx) => {
    if (!existsSync('/usr/sbin/nginx') || !existsSync(streamModule)) return ctx.skip();
    const dir = tempDir('beseda-stream-check-');
    const main = path.join(dir, 'nginx.conf');
    writeFileSync(
      main,
      `load_module ${streamModule};\npid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\nevents {}\n` +
        `include ${path.join(sample, 'nginx-stream.conf')};\n`,
    );
    const run = spawnSync('/usr/sbin/nginx', ['-t', '-p', `${dir}/`, '-c', main], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/\[(warn|emerg)\]/);
  });

  it('gives a systemd drop-in that systemd-analyze verify accepts with the shipped unit', (ctx) => {
    if (spawnSync('systemd-analyze', ['--version']).status !== 0) return ctx.skip();
    const dir = tempDir('beseda-dropin-');
    // verify checks that ExecStart's program exists: the archive's runtime/node, here this Node.
    execFileSync('mkdir', ['-p', `${dir}/opt/runtime`, `${dir}/beseda-hub.service.d`]);
    execFileSync('ln', ['-s', process.execPath, `${dir}/opt/runtime/node`]);
    const unit = readFileSync(path.join(root, 'deploy/systemd/beseda-hub.service'), 'utf8');
    writeFileSync(path.join(dir, 'beseda-hub.service'), unit.replaceAll('/opt/beseda-hub/', `${dir}/opt/`));
    const dropIn = readFileSync(path.join(sample, 'cluster.conf'), 'utf8');
    writeFileSync(path.join(dir, 'beseda-hub.service.d/cluster.conf'), dropIn);
    const run = spawnSync('systemd-analyze', ['verify', './beseda-hub.service'], { cwd: dir, encoding: 'utf8' });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    // An unknown or misspelt key is only a warning naming the drop-in: there must be none.
    expect(run.stdout + run.stderr).not.toMatch(/cluster\.conf/);
    // It is read at all: the same check with a misspelt key does warn.
    writeFileSync(
      path.join(dir, 'beseda-hub.service.d/cluster.conf'),
      dropIn.replace('RequiresMountsFor', 'RequiresMountFor'),
    );
    const broken = spawnSync('systemd-analyze', ['verify', './beseda-hub.service'], { cwd: dir, encoding: 'utf8' });
    expect(broken.stdout + broken.stderr).toMatch(/cluster\.conf.*RequiresMountFor/);
  });
});

const liveSkip = !clusterAvailable ? clusterSkipReason : existsSync(haproxyBinary) ? '' : `needs ${haproxyBinary}`;

describe.skipIf(liveSkip !== '')(
  `deploy/cluster/haproxy.cfg in front of three nodes${liveSkip ? ` (${liveSkip})` : ''}`,
  () => {
    let cluster: TestCluster;
    let haproxy: ChildProcess;
    let haproxyLog = '';
    let base: string;
    let ca: Buffer;
    const all = () => cluster.nodes.flatMap((n) => n.output);

    beforeAll(async () => {
      // The nodes trust the balancer (here 127.0.0.1, where HAProxy connects from), as the sample's.
      cluster = await startCluster({ nodes: 3, args: ['--trust-proxy', '127.0.0.1'] });
      const dir = tempDir('beseda-haproxy-');
      const cert = makeCertificate(dir, 'site');
      ca = readFileSync(cert.cert);
      const pem = path.join(dir, 'site-bundle.pem');
      writeFileSync(pem, readFileSync(cert.cert, 'utf8') + readFileSync(cert.key, 'utf8'));
      const [http, https] = [await freePort(), await freePort()];
      const changes: [string, string][] = [
        ['    log /dev/log local0\n', ''],
        ['maxconn 60000', 'maxconn 1000'],
        ['bind :80\n', `bind 127.0.0.1:${http}\n`],
        ['bind :443 ssl crt /etc/haproxy/certs/chat.example.ru.pem', `bind 127.0.0.1:${https} ssl crt ${pem}`],
      ];
      let text = haproxyCfg;
      for (const [from, to] of changes) {
        expect(text.split(from).length - 1, `"${from}" in deploy/cluster/haproxy.cfg`).toBe(1);
        text = text.replace(from, to);
      }
      // The node addresses: each of the sample's three (checked and backup lines) becomes a real node.
      haproxyServers().checked.forEach((address, i) => {
        text = text.replaceAll(` ${address}`, ` 127.0.0.1:${cluster.nodes[i]!.port}`);
      });
      const file = path.join(dir, 'haproxy.cfg');
      writeFileSync(file, text);
      haproxy = spawn(haproxyBinary, ['-f', file, '-db'], { stdio: ['ignore', 'pipe', 'pipe'] });
      haproxy.stdout!.on('data', (c: Buffer) => (haproxyLog += c.toString()));
      haproxy.stderr!.on('data', (c: Buffer) => (haproxyLog += c.toString()));
      base = `https://127.0.0.1:${https}`;
      const up = await waitFor(async () => {
        if (haproxy.exitCode !== null) return true;
        try {
          return (await request(`${base}/healthz`, { ca })).status === 200;
        } catch {
          return false;
        }
      }, 60_000);
      if (!up || haproxy.exitCode !== null) throw new Error(`HAProxy did not come up:\n${haproxyLog}`);
    }, 180_000);
    afterAll(async () => {
      if (haproxy && haproxy.exitCode === null) {
        const exited = new Promise((r) => haproxy.once('exit', r));
        haproxy.kill('SIGTERM');
        await exited;
      }
      await cluster?.close();
    }, 60_000);

    it('signs people in under their own addresses and carries a conversation across nodes over wss', async () => {
      const [anna, boris] = [await cluster.nodes[0]!.addUser('anna'), await cluster.nodes[0]!.addUser('boris')];
      const forged = { 'x-forwarded-for': '203.0.113.66' };
      const annaToken = await signIn(base, 'anna', anna.password, { localAddress: '127.0.0.2', ca, headers: forged });
      const borisToken = await signIn(base, 'boris', boris.password, {
        localAddress: '127.0.0.3',
        ca,
        headers: forged,
      });
      // Whichever node took the sign-in logged it with the person's address, not HAProxy's or the forged one.
      let line: Record<string, unknown> | undefined;
      await waitFor(
        () => !!(line = logLines(all()).find((l) => l.msg === 'signed in' && l.userId === anna.id)),
        15_000,
      );
      expect(line?.source).toBe('127.0.0.2');
      // The browser's https Origin is accepted: X-Forwarded-Proto from a trusted balancer.
      const headers = { origin: base };
      const wss = `wss://127.0.0.1:${base.split(':')[2]}/ws`;
      const a = await ProtocolSocket.open(wss, annaToken, { localAddress: '127.0.0.2', ca, headers });
      const b = await ProtocolSocket.open(wss, borisToken, { localAddress: '127.0.0.3', ca, headers });
      // leastconn put the two sockets on two different nodes (each node's own /healthz counts them).
      const counts = await Promise.all(
        cluster.nodes.map(
          async (n) =>
            (JSON.parse((await request(`${n.url}/healthz`)).body.toString()) as { connections: number }).connections,
        ),
      );
      expect(counts.filter((c) => c === 1)).toHaveLength(2);
      const general = a.hello.conversations.find((c) => c.kind === 'general')!.id;
      const toBoris = b.next('message', (f) => f.message.text === 'Через балансировщик');
      await a.request('send', { conversationId: general, clientId: 'lb-msg-0001', text: 'Через балансировщик' });
      expect((await toBoris).message.text).toBe('Через балансировщик');
      a.close();
      b.close();
    }, 60_000);

    it('skips a killed node: new connections reach the others', async () => {
      const carl = await cluster.nodes[0]!.addUser('carl');
      await cluster.kill(1);
      const token = await signIn(base, 'carl', carl.password, { ca });
      for (let i = 0; i < 6; i++) {
        const s = await ProtocolSocket.open(`wss://127.0.0.1:${base.split(':')[2]}/ws`, token, { ca });
        expect(s.hello.conversations.length).toBeGreaterThan(0);
        s.close();
      }
    }, 60_000);

    it('still hands requests to the nodes while every one is degraded (Redis away), and takes them back after', async () => {
      await cluster.redis.stop();
      try {
        // Every node reports redis_unreachable (503); once HAProxy has marked the checked lines down,
        // the answer still comes from a node (its JSON), not HAProxy's own "no server" page.
        const seen = await waitFor(async () => {
          const r = await request(`${base}/healthz`, { ca });
          return r.status === 503 && r.body.toString().includes('"redis_unreachable"');
        }, 30_000);
        expect(seen, haproxyLog).toBe(true);
        // HAProxy marks every checked line down (fall 2 × inter 2 s) and says it runs on the backups.
        expect(await waitFor(() => haproxyLog.includes('Running on backup'), 30_000), haproxyLog).toBe(true);
        const during = await request(`${base}/healthz`, { ca });
        expect(during.status).toBe(503);
        expect(JSON.parse(during.body.toString())).toMatchObject({ status: 'degraded', reason: 'redis_unreachable' });
      } finally {
        await cluster.redis.start();
      }
      const back = await waitFor(async () => (await request(`${base}/healthz`, { ca })).status === 200, 60_000);
      expect(back).toBe(true);
    }, 120_000);
  },
);

const streamSkip = !clusterAvailable
  ? clusterSkipReason
  : existsSync('/usr/sbin/nginx') && existsSync(streamModule)
    ? ''
    : `needs nginx with ${streamModule}`;

describe.skipIf(streamSkip !== '')(
  `deploy/cluster/nginx-stream.conf in front of three TLS nodes${streamSkip ? ` (${streamSkip})` : ''}`,
  () => {
    let cluster: TestCluster;
    let nginx: ChildProcess;
    let nginxLog = '';
    let port: number;
    let ca: Buffer;
    /** nginx's worker drops root (as CI runs) for this account; the prefix is handed to it. */
    const nobody = 65534;
    const asRoot = process.getuid?.() === 0;

    beforeAll(async () => {
      const dir = tempDir('beseda-stream-');
      const cert = makeCertificate(dir, 'site');
      ca = readFileSync(cert.cert);
      // TLS is ended by the nodes (the same certificate on each), as the sample says.
      cluster = await startCluster({ nodes: 3, args: ['--tls-cert', cert.cert, '--tls-key', cert.key] });
      port = await freePort();
      let text = streamConf;
      const listen = 'listen 443;';
      expect(text.split(listen).length - 1).toBe(1);
      text = text.replace(listen, `listen 127.0.0.1:${port};`);
      const hosts = [...streamConf.matchAll(/^\s*server (\d[\d.]*:\d+)/gm)].map((m) => m[1]!);
      hosts.forEach((address, i) => (text = text.replace(` ${address} `, ` 127.0.0.1:${cluster.nodes[i]!.port} `)));
      writeFileSync(path.join(dir, 'stream.conf'), text);
      const main = path.join(dir, 'nginx.conf');
      writeFileSync(
        main,
        `load_module ${streamModule};\nworker_processes 1;\npid ${dir}/nginx.pid;\nerror_log ${dir}/error.log info;\n` +
          `events { worker_connections 256; }\ninclude ${dir}/stream.conf;\n`,
      );
      if (asRoot) execFileSync('chown', ['-R', `${nobody}:${nobody}`, dir]);
      const user = asRoot ? { uid: nobody, gid: nobody } : {};
      nginx = spawn('/usr/sbin/nginx', ['-p', `${dir}/`, '-c', main, '-g', 'daemon off;'], {
        ...user,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      nginx.stdout!.on('data', (c: Buffer) => (nginxLog += c.toString()));
      nginx.stderr!.on('data', (c: Buffer) => (nginxLog += c.toString()));
      const up = await waitFor(async () => {
        if (nginx.exitCode !== null) return true;
        try {
          return (await request(`https://127.0.0.1:${port}/healthz`, { ca })).status === 200;
        } catch {
          return false;
        }
      }, 60_000);
      if (!up || nginx.exitCode !== null) throw new Error(`nginx did not come up:\n${nginxLog}`);
    }, 180_000);
    afterAll(async () => {
      if (nginx && nginx.exitCode === null) {
        const exited = new Promise((r) => nginx.once('exit', r));
        nginx.kill('SIGQUIT');
        await exited;
      }
      await cluster?.close();
    }, 60_000);

    it('passes wss through to the nodes (the browser’s https Origin accepted), which see nginx’s address', async () => {
      const base = `https://127.0.0.1:${port}`;
      const [anna, boris] = [await cluster.nodes[0]!.addUser('anna'), await cluster.nodes[0]!.addUser('boris')];
      const annaToken = await signIn(base, 'anna', anna.password, { localAddress: '127.0.0.2', ca });
      const borisToken = await signIn(base, 'boris', boris.password, { localAddress: '127.0.0.3', ca });
      // The limitation the sample names: no X-Forwarded-For through a TCP balancer.
      let line: Record<string, unknown> | undefined;
      const all = () => cluster.nodes.flatMap((n) => n.output);
      await waitFor(
        () => !!(line = logLines(all()).find((l) => l.msg === 'signed in' && l.userId === anna.id)),
        15_000,
      );
      expect(line?.source).toBe('127.0.0.1');
      const via = (localAddress: string) => ({ localAddress, ca, headers: { origin: base } });
      const a = await ProtocolSocket.open(`wss://127.0.0.1:${port}/ws`, annaToken, via('127.0.0.2'));
      const b = await ProtocolSocket.open(`wss://127.0.0.1:${port}/ws`, borisToken, via('127.0.0.3'));
      const general = a.hello.conversations.find((c) => c.kind === 'general')!.id;
      const toBoris = b.next('message', (f) => f.message.text === 'Через nginx stream');
      await a.request('send', { conversationId: general, clientId: 'stream-msg-01', text: 'Через nginx stream' });
      expect((await toBoris).message.text).toBe('Через nginx stream');
      a.close();
      b.close();
    }, 60_000);

    it('moves a new connection past a killed node (passive check)', async () => {
      const carl = await cluster.nodes[0]!.addUser('carl');
      await cluster.kill(2);
      const token = await signIn(`https://127.0.0.1:${port}`, 'carl', carl.password, { ca });
      for (let i = 0; i < 6; i++) {
        const s = await ProtocolSocket.open(`wss://127.0.0.1:${port}/ws`, token, { ca });
        expect(s.hello.conversations.length).toBeGreaterThan(0);
        s.close();
      }
    }, 60_000);
  },
);
