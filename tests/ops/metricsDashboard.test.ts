// The sample Grafana dashboard (deploy/grafana/beseda-hub.json) against a real hub's /metrics:
// import-ready (the Prometheus data source an input chosen at import), every PromQL expression
// names only metrics the hub exports (a renamed metric breaks the test, not a panel in production),
// and every metric of the hub has a panel.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { scrape } from './metricsText.ts';

interface Target {
  expr?: string;
  datasource?: { type?: string; uid?: string };
}
interface Panel {
  type: string;
  title?: string;
  datasource?: { type?: string; uid?: string };
  targets?: Target[];
  panels?: Panel[];
}
interface Dashboard {
  __inputs: { name: string; type: string; pluginId: string }[];
  panels: Panel[];
  templating: { list: { name: string; query: string | { query: string }; datasource?: { uid?: string } }[] };
  title: string;
  uid: string;
}

const dashboard = JSON.parse(
  readFileSync(new URL('../../deploy/grafana/beseda-hub.json', import.meta.url), 'utf8'),
) as Dashboard;

/** PromQL words that are not metric names. */
const keywords = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'and',
  'or',
  'unless',
  'offset',
  'bool',
  'inf',
  'nan',
]);

/**
 * The metric names a PromQL expression reads: identifiers that are not functions (followed by
 * `(`), keywords, label matchers (`{…}`), ranges (`[…]`), grouping label lists (`by (…)`), strings,
 * numbers or Grafana variables.
 */
function metricNamesIn(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\$\{[^}]*\}|\$\w+/g, ' ');
  const names = new Set<string>();
  for (const m of stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    // A number's exponent or unit (1e3, 1h) is not a name.
    const before = stripped[m.index - 1];
    if (before !== undefined && /[\w.]/.test(before)) continue;
    if (keywords.has(m[0].toLowerCase())) continue;
    if (
      stripped
        .slice(m.index + m[0].length)
        .trimStart()
        .startsWith('(')
    )
      continue;
    names.add(m[0]);
  }
  return [...names];
}

/** Every panel, rows' own panels included. */
function allPanels(panels: Panel[]): Panel[] {
  return panels.flatMap((p) => [p, ...allPanels(p.panels ?? [])]);
}

/** Sample names a family of each type produces. */
function sampleNames(family: string, type: string): string[] {
  if (type === 'histogram') return [`${family}_bucket`, `${family}_sum`, `${family}_count`];
  if (type === 'summary') return [family, `${family}_sum`, `${family}_count`];
  return [family];
}

let hub: TestHub;
let exported: Map<string, string>;
beforeAll(async () => {
  hub = await startHub();
  exported = (await scrape(hub.url)).types;
});
afterAll(async () => {
  await hub.stop();
});

describe('metricNamesIn', () => {
  it('finds the metric names of an expression and nothing else', () => {
    expect(
      metricNamesIn(
        'histogram_quantile(0.99, sum by (le) (rate(beseda_send_ack_seconds_bucket{instance="$instance"}[$__rate_interval])))',
      ),
    ).toEqual(['beseda_send_ack_seconds_bucket']);
    expect(metricNamesIn('time() - process_start_time_seconds{job="beseda"}')).toEqual(['process_start_time_seconds']);
    expect(metricNamesIn('a_total / on (instance) group_left b_info * 1e3 > bool 2')).toEqual(['a_total', 'b_info']);
    expect(metricNamesIn('rate(x_total[5m]) offset 1h')).toEqual(['x_total']);
  });
});

describe('the Grafana dashboard', () => {
  it('is import-ready with the Prometheus data source as an input', () => {
    expect(dashboard.title).toBe('Beseda hub');
    expect(dashboard.uid).toMatch(/^[a-z0-9-]{1,40}$/);
    const input = dashboard.__inputs.find((i) => i.type === 'datasource');
    expect(input?.pluginId).toBe('prometheus');
    const uid = `\${${input!.name}}`;
    for (const panel of allPanels(dashboard.panels).filter((p) => p.type !== 'row')) {
      expect(panel.datasource, panel.title).toEqual({ type: 'prometheus', uid });
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      for (const t of panel.targets!) expect(t.datasource?.uid, panel.title).toBe(uid);
    }
    for (const variable of dashboard.templating.list) expect(variable.datasource?.uid).toBe(uid);
  });

  it('reads only metrics the hub exports, and has a panel for every metric of the hub', () => {
    const samples = new Set([...exported].flatMap(([family, type]) => sampleNames(family, type)));
    const used = new Map<string, string>();
    for (const panel of allPanels(dashboard.panels))
      for (const target of panel.targets ?? []) {
        expect(target.expr, panel.title).toMatch(/\S/);
        for (const name of metricNamesIn(target.expr!)) used.set(name, panel.title ?? '');
      }
    for (const variable of dashboard.templating.list) {
      const query = typeof variable.query === 'string' ? variable.query : variable.query.query;
      const m = /^label_values\((\w+),\s*\w+\)$/.exec(query);
      expect(m, query).not.toBeNull();
      used.set(m![1]!, `variable ${variable.name}`);
    }
    const unknown = [...used].filter(([name]) => !samples.has(name));
    expect(unknown, 'expressions naming metrics the hub does not export').toEqual([]);
    const familyOf = (name: string) => name.replace(/_(bucket|sum|count)$/, '');
    const shown = new Set([...used.keys()].flatMap((n) => [n, familyOf(n)]));
    const missing = [...exported.keys()].filter((family) => family.startsWith('beseda_') && !shown.has(family));
    expect(missing, 'metrics of the hub with no panel').toEqual([]);
  });
});
