// settingDocs.ts documents every setting (serve --help and README's table come from it), with the
// flag and environment variable loadConfig really reads; README's table is the generated one.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultHubConfig, type HubConfig } from '../../hub/config/HubConfig.ts';
import { flagNames, loadConfig } from '../../hub/config/loadConfig.ts';
import { settingDocs, settingsTableMarkdown } from '../../hub/config/settingDocs.ts';
// @ts-expect-error: a plain JS script without declarations.
import { withSettingsTable } from '../../scripts/settings-table.js';

const keys = Object.keys(defaultHubConfig) as Array<keyof HubConfig>;

describe('settingDocs', () => {
  it('has one entry per HubConfig key, and none for a key that does not exist', () => {
    for (const key of keys) expect(settingDocs[key], `settingDocs.${key}`).toBeDefined();
    expect(Object.keys(settingDocs).sort()).toEqual([...keys].sort());
  });

  it('names the flag loadConfig maps to each key, and every flag loadConfig reads', () => {
    for (const key of keys) expect(flagNames[settingDocs[key].flag], key).toBe(key);
    expect(Object.keys(flagNames).sort()).toEqual(keys.map((k) => settingDocs[k].flag).sort());
  });

  it('names the environment variable loadConfig reads for each key', () => {
    const probe = 'x-probe-value';
    for (const key of keys) {
      const doc = settingDocs[key];
      let read: unknown;
      try {
        read = loadConfig({}, { [doc.env]: probe })[key];
      } catch (err) {
        // A number, a choice or a duration refuses the probe, naming the setting (or its flag).
        expect((err as Error).message, doc.env).toMatch(new RegExp(`${key}|--${doc.flag}`));
        continue;
      }
      expect(read, doc.env).toEqual(doc.list ? [probe] : probe);
    }
  });

  it('README.md holds the generated settings table (regenerate: npm run -s settings-table)', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toBe(withSettingsTable(readme, settingsTableMarkdown()));
    for (const key of keys) expect(readme).toContain(`\`--${settingDocs[key].flag}\``);
  });
});
