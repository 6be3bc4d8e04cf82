import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'ldapts';

/** Where Debian puts slapd; the tests need it and ldap-utils' schema files. */
const slapdBinary = '/usr/sbin/slapd';
const slapaddBinary = '/usr/sbin/slapadd';
const seedFile = path.resolve(import.meta.dirname, '../fixtures/ldap/seed.ldif');

/** The test directory's fixed names (tests/fixtures/ldap/seed.ldif). */
export const testDirectory = {
  suffix: 'dc=corp,dc=local',
  rootDn: 'cn=admin,dc=corp,dc=local',
  rootPassword: 'root-secret-for-tests',
  bindDn: 'cn=beseda,ou=services,dc=corp,dc=local',
  bindPassword: 'bind-secret-for-tests',
} as const;

/** A running slapd in a temp folder, on 127.0.0.1 and an ephemeral port, with StartTLS. */
export interface Slapd {
  /** `ldap://127.0.0.1:PORT` (StartTLS available). */
  url: string;
  port: number;
  /** The PEM file of the test CA that signed the server's certificate. */
  caFile: string;
  /** The temp folder (certificates, database, config). */
  dir: string;
  /** A client bound as the directory's root (to change entries during a test); the caller unbinds. */
  rootClient(): Promise<Client>;
  /** Stops slapd (the directory then does not answer); `start` brings it back with its data. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops slapd and removes the folder. */
  close(): Promise<void>;
}

/**
 * Writes a `--directory` settings file for this slapd (StartTLS with the test CA, the service
 * account's password in its own file) and returns its path. `extra` replaces top-level keys.
 */
export function writeDirectorySettings(
  slapd: Pick<Slapd, 'url' | 'caFile' | 'dir'>,
  extra: Record<string, unknown> = {},
): string {
  const passwordFile = path.join(slapd.dir, 'bind-password');
  writeFileSync(passwordFile, `${testDirectory.bindPassword}\n`, { mode: 0o600 });
  const settings = {
    url: slapd.url,
    startTls: true,
    caFile: slapd.caFile,
    bindDn: testDirectory.bindDn,
    bindPasswordFile: passwordFile,
    baseDn: `ou=people,${testDirectory.suffix}`,
    userFilter: '(objectClass=inetOrgPerson)',
    loginAttribute: 'uid',
    idAttribute: 'entryUUID',
    upnSuffixes: ['corp.local'],
    netbiosDomain: 'CORP',
    attributes: { branch: 'OU' },
    disabledFilter: '(employeeType=disabled)',
    groupRooms: [
      { group: `cn=accounting,ou=groups,${testDirectory.suffix}`, room: 'Бухгалтерия', mode: 'exact' },
      { group: `cn=warehouse,ou=groups,${testDirectory.suffix}`, room: 'Склад', mode: 'add-only' },
    ],
    timeoutMs: 5000,
    ...extra,
  };
  const file = path.join(slapd.dir, `directory-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(settings, null, 2));
  return file;
}

/** The DN of a person of the seed (`uid=ivanov,ou=Moscow,…`). */
export function personDn(uid: string, ou: 'Moscow' | 'Kazan'): string {
  return `uid=${uid},ou=${ou},ou=people,${testDirectory.suffix}`;
}

/** Whether slapd can run here; under CI=true its absence is an error the tests report, never a skip. */
export function slapdMissing(): string | undefined {
  if (existsSync(slapdBinary) && existsSync(slapaddBinary) && existsSync('/etc/ldap/schema/inetorgperson.schema'))
    return undefined;
  return 'slapd is not installed: apt-get install -y slapd ldap-utils (the directory tests need a real slapd)';
}

/** Starts a seeded slapd. Throws (with the apt command) when slapd is missing. */
export async function startSlapd(): Promise<Slapd> {
  const missing = slapdMissing();
  if (missing) throw new Error(missing);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'beseda-slapd-'));
  makeCertificates(dir);
  const conf = writeConfig(dir);
  mkdirSync(path.join(dir, 'db'));
  execFileSync(slapaddBinary, ['-f', conf, '-l', seedFile], { stdio: 'pipe' });
  const port = await freePort();
  const url = `ldap://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;

  const start = async () => {
    // -d 0: stay in the foreground (so the child is slapd itself and stopping it is exact).
    child = spawn(slapdBinary, ['-f', conf, '-h', `${url}/`, '-d', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await waitForPort(port, () => (child!.exitCode !== null ? `slapd exited: ${stderr}` : undefined));
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill('SIGTERM');
    await exited;
  };
  await start();
  return {
    url,
    port,
    caFile: path.join(dir, 'ca.pem'),
    dir,
    async rootClient() {
      const client = new Client({ url, timeout: 10_000, connectTimeout: 10_000 });
      await client.startTLS({ ca: readFileSync(path.join(dir, 'ca.pem')) });
      await client.bind(testDirectory.rootDn, testDirectory.rootPassword);
      return client;
    },
    stop,
    start,
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A test CA and a server certificate for 127.0.0.1 signed by it, made with openssl. */
function makeCertificates(dir: string): void {
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Beseda Test CA']);
  run(['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1']);
  writeFileSync(path.join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  run(
    ['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial'].concat([
      '-out',
      'server.pem',
      '-days',
      '2',
      '-extfile',
      'ext.cnf',
    ]),
  );
}

/** slapd.conf: the stock schemas, one mdb database, the service account may read, people may bind. */
function writeConfig(dir: string): string {
  const file = path.join(dir, 'slapd.conf');
  const { suffix, rootDn, rootPassword, bindDn } = testDirectory;
  writeFileSync(
    file,
    [
      'include /etc/ldap/schema/core.schema',
      'include /etc/ldap/schema/cosine.schema',
      'include /etc/ldap/schema/inetorgperson.schema',
      'modulepath /usr/lib/ldap',
      'moduleload back_mdb',
      `pidfile ${path.join(dir, 'slapd.pid')}`,
      `TLSCACertificateFile ${path.join(dir, 'ca.pem')}`,
      `TLSCertificateFile ${path.join(dir, 'server.pem')}`,
      `TLSCertificateKeyFile ${path.join(dir, 'server.key')}`,
      'database mdb',
      `suffix "${suffix}"`,
      `rootdn "${rootDn}"`,
      `rootpw ${rootPassword}`,
      `directory ${path.join(dir, 'db')}`,
      'maxsize 16777216',
      'access to attrs=userPassword by anonymous auth by * none',
      `access to * by dn.exact="${bindDn}" read by self read by * none`,
      '',
    ].join('\n'),
  );
  return file;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Waits until something accepts connections on the port (slapd is ready), or `failed` says why not. */
async function waitForPort(port: number, failed: () => string | undefined): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const problem = failed();
    if (problem) throw new Error(problem);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`slapd did not listen on ${port} within 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
