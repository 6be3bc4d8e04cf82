// Reading /metrics in tests: a strict parser of the Prometheus text exposition format (0.0.4) that
// throws on any line a Prometheus server would refuse, and an HTTP GET that can come from another
// loopback address (127.0.0.2 is "another machine" to the hub: only 127.0.0.1 and ::1 are its own).
import http from 'node:http';

/** One sample line: `name{labels} value`. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A parsed exposition: each family's declared type and help, and every sample. */
export interface Exposition {
  types: Map<string, string>;
  help: Map<string, string>;
  samples: Sample[];
}

const namePattern = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const labelNamePattern = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const types = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
/** The sample names a family of each type may have. */
const suffixes: Record<string, string[]> = {
  counter: [''],
  gauge: [''],
  untyped: [''],
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['', '_sum', '_count'],
};

/** Parses exposition text, throwing with the line number on anything malformed. */
export function parseExposition(text: string): Exposition {
  const out: Exposition = { types: new Map(), help: new Map(), samples: [] };
  if (!text.endsWith('\n')) throw new Error('the exposition must end with a newline');
  const lines = text.slice(0, -1).split('\n');
  const seen = new Set<string>();
  lines.forEach((line, i) => {
    const fail = (why: string): never => {
      throw new Error(`line ${i + 1}: ${why}: ${JSON.stringify(line)}`);
    };
    if (line.trim() === '') return;
    if (line.startsWith('#')) {
      const m = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
      if (!m) return; // any other comment is allowed
      const [, kind, name, rest] = m as unknown as [string, string, string, string];
      if (!namePattern.test(name)) fail('bad metric name');
      if (kind === 'TYPE') {
        if (!types.has(rest)) fail('unknown type');
        if (out.types.has(name)) fail('second TYPE line');
        if ([...seen].some((s) => familyOf(s, out.types) === name)) fail('TYPE after its samples');
        out.types.set(name, rest);
      } else {
        if (out.help.has(name)) fail('second HELP line');
        if (/\\(?![\\n])/.test(rest)) fail('bad escape in HELP');
        out.help.set(name, rest);
      }
      return;
    }
    const sample = parseSample(line, fail);
    const family = familyOf(sample.name, out.types);
    if (family === null) fail('a sample of no declared family');
    const key = `${sample.name}${JSON.stringify(Object.entries(sample.labels).sort())}`;
    if (seen.has(key)) fail('the same series twice');
    seen.add(key);
    out.samples.push(sample);
  });
  return out;
}

/** The declared family a sample name belongs to (a histogram's `_bucket` to the histogram), or null. */
function familyOf(sampleName: string, declared: Map<string, string>): string | null {
  for (const [family, type] of declared)
    for (const suffix of suffixes[type]!) if (sampleName === family + suffix) return family;
  return null;
}

function parseSample(line: string, fail: (why: string) => never): Sample {
  const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)( -?\d+)?$/.exec(line);
  if (!m) fail('not a sample line');
  const [, name, , body, valueText] = m!;
  const value = parseValue(valueText!) ?? fail('bad value');
  const labels: Record<string, string> = {};
  let rest = body ?? '';
  while (rest.length > 0) {
    const l = /^([^=]+)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)/.exec(rest);
    if (!l) fail('bad label set');
    const [whole, labelName, raw] = l!;
    if (!labelNamePattern.test(labelName!)) fail('bad label name');
    if (labelName! in labels) fail('a label twice');
    labels[labelName!] = raw!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    rest = rest.slice(whole.length);
  }
  return { name: name!, labels, value };
}

/**
 * A sample value as Prometheus reads it (Go's ParseFloat): a decimal number, or Inf / NaN in any
 * letter case — prom-client writes an empty summary's NaN as `Nan`, which Prometheus accepts.
 */
function parseValue(text: string): number | null {
  if (/^[-+]?inf(inity)?$/i.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(text)) return NaN;
  return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text) ? Number(text) : null;
}

/** The value of one series (labels must match exactly those given); undefined when absent. */
export function valueOf(exposition: Exposition, name: string, labels: Record<string, string> = {}): number | undefined {
  const want = JSON.stringify(Object.entries(labels).sort());
  return exposition.samples.find((s) => s.name === name && JSON.stringify(Object.entries(s.labels).sort()) === want)
    ?.value;
}

/** An HTTP answer read whole. */
export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** GET a hub path, optionally from another local address and with extra headers. */
export function get(url: string, options: { from?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: options.headers ?? {}, localAddress: options.from }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/** Scrapes a hub's /metrics from its own machine and parses it (failing the test on bad text). */
export async function scrape(baseUrl: string): Promise<Exposition> {
  const answer = await get(`${baseUrl}/metrics`);
  if (answer.status !== 200) throw new Error(`/metrics answered ${answer.status}: ${answer.body}`);
  return parseExposition(answer.body);
}

/**
 * Scrapes until `check` passes (values read at scrape time move as soon as the hub has done the
 * work, but the test cannot see that moment): the deadline is for a value that never moves.
 */
export async function scrapeUntil(
  baseUrl: string,
  check: (e: Exposition) => boolean,
  timeoutMs = 20_000,
): Promise<Exposition> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const e = await scrape(baseUrl);
    if (check(e)) return e;
    if (Date.now() > deadline) return e;
    await new Promise((r) => setTimeout(r, 100));
  }
}
