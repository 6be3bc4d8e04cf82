import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { flagNames } from '../config/loadConfig.ts';
import { settingDocs } from '../config/settingDocs.ts';
import { HubError } from '../ops/HubError.ts';
import type { CliCommand, CliOption } from './CliCommand.ts';
import { serve } from './serve.ts';

/**
 * serve's options: every flag loadConfig reads (its `flagNames`), each described by settingDocs,
 * so `serve --help` lists every setting and a new one cannot be forgotten there.
 */
function serveOptions(): Record<string, CliOption> {
  const options: Record<string, CliOption> = {};
  for (const [flag, key] of Object.entries(flagNames)) {
    const doc = settingDocs[key];
    options[flag] = {
      type: 'string',
      ...(doc.list ? { multiple: true } : {}),
      value: doc.list ? `${doc.value}[,…]` : doc.value,
      help: `${doc.help} (${doc.env}${doc.default === '—' ? '' : `; default ${doc.default}`})`,
    };
  }
  options.config = {
    type: 'string',
    value: 'FILE',
    help: 'a JSON config file with any of these settings by name (BESEDA_CONFIG); flags > environment > file',
  };
  return options;
}

/**
 * `serve` creates a missing data folder only when the folder it goes in exists: a new hub at
 * /var/lib/beseda works at once, while a mistyped path (/var/lib/besdea/data) is refused.
 */
export function checkServeDataDir(dataDir: string): void {
  const dir = path.resolve(dataDir);
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new HubError('bad_request', `the data folder ${dir} is not a folder`);
    return;
  }
  const parent = path.dirname(dir);
  if (!existsSync(parent))
    throw new HubError(
      'not_found',
      `the data folder ${dir} does not exist, nor does ${parent}, where it would be created. ` +
        `Check --data (or BESEDA_DATA); to start a new hub there, create the parent first: mkdir -p ${parent}`,
    );
}

/** `beseda-hub serve`. */
export const serveCommand: CliCommand = {
  words: ['serve'],
  summary:
    'Runs the hub until SIGTERM or SIGINT (SIGHUP re-reads the TLS files). Each setting comes from\n' +
    'a flag, the environment or a config file (flags > environment > file > defaults).',
  options: serveOptions(),
  async run({ values, config }) {
    checkServeDataDir(config().dataDir);
    const flags: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(values))
      if ((Object.hasOwn(flagNames, name) || name === 'config') && (typeof value === 'string' || Array.isArray(value)))
        flags[name] = value;
    return serve(flags);
  },
};
