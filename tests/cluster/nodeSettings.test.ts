// The settings that make a hub one node of several (issue 20): --redis and --node-id from flags,
// environment and hub.json; --redis without a PostgreSQL --store refused before anything starts
// (exit 2, naming both settings); a Redis password never printed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkNodeSettings, loadConfig } from '../../hub/config/loadConfig.ts';
import { redactedStoreUrl } from '../../hub/config/redactedStoreUrl.ts';
import { nodeIdOf } from '../../hub/server/startClusterParts.ts';
import { hubBundle } from '../helpers/startHub.ts';

const pgUrl = 'postgres://beseda@127.0.0.1:5432/beseda';

describe('--redis and --node-id', () => {
  it('are read from flags, the environment and hub.json', () => {
    expect(loadConfig({ redis: 'redis://10.0.0.5:6379/2', 'node-id': 'hub-1' }, {})).toMatchObject({
      redis: 'redis://10.0.0.5:6379/2',
      nodeId: 'hub-1',
    });
    expect(loadConfig({}, { BESEDA_REDIS: 'rediss://r.corp:6380', BESEDA_NODE_ID: 'n2' })).toMatchObject({
      redis: 'rediss://r.corp:6380',
      nodeId: 'n2',
    });
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'beseda-config-')), 'hub.json');
    writeFileSync(file, JSON.stringify({ store: pgUrl, redis: 'redis://127.0.0.1:6379', nodeId: 'n3' }));
    expect(loadConfig({ config: file }, {})).toMatchObject({ redis: 'redis://127.0.0.1:6379', nodeId: 'n3' });
    expect(loadConfig({}, {})).toMatchObject({ redis: null, nodeId: null });
  });

  it('refuses what is not a Redis address or a node name', () => {
    expect(() => loadConfig({ redis: 'http://10.0.0.5:6379' }, {})).toThrow(/redis: a Redis address/);
    expect(() => loadConfig({ 'node-id': 'два узла' }, {})).toThrow(/nodeId/);
  });

  it('Redis without a PostgreSQL store is refused, naming both settings', () => {
    const config = loadConfig({ redis: 'redis://127.0.0.1:6379' }, {});
    expect(() => checkNodeSettings(config)).toThrow(/--redis.*--store postgres/);
    expect(() => checkNodeSettings({ ...config, store: pgUrl })).not.toThrow();
  });

  it('names a node by --node-id, else host:port (or host:pid with --port 0)', () => {
    expect(nodeIdOf({ nodeId: 'hub-a', port: 8080 })).toBe('hub-a');
    expect(nodeIdOf({ nodeId: null, port: 8080 })).toBe(`${os.hostname()}:8080`);
    expect(nodeIdOf({ nodeId: null, port: 0 })).toBe(`${os.hostname()}:pid${process.pid}`);
  });

  it('never prints a Redis password', () => {
    expect(redactedStoreUrl('redis://:s3cret@10.0.0.5:6379/0')).toBe('redis://:***@10.0.0.5:6379/0');
    expect(redactedStoreUrl('rediss://beseda:s3cret@r.corp:6380')).toBe('rediss://beseda:***@r.corp:6380');
    expect(redactedStoreUrl('redis://10.0.0.5:6379')).toBe('redis://10.0.0.5:6379');
    expect(redactedStoreUrl('postgres://u:pw@h/db')).toBe('postgres://u:***@h/db');
  });

  it('serve with --redis and no --store exits 2 before starting, saying why, without the password', () => {
    const data = mkdtempSync(path.join(os.tmpdir(), 'beseda-node-'));
    const env = { ...process.env };
    delete env.BESEDA_STORE;
    const run = spawnSync(
      process.execPath,
      [hubBundle, 'serve', '--data', data, '--port', '0', '--redis', 'redis://:s3cret@127.0.0.1:1'],
      { encoding: 'utf8', env, timeout: 30_000 },
    );
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/configuration error: .*--redis.*--store postgres/);
    expect(run.stderr + run.stdout).not.toContain('s3cret');
    expect(run.stdout).not.toContain('listening');
  });
});
