// The web-load step's arithmetic and its reasons for not running (no Chromium run here: the
// visits themselves are scripts/measure-web-load.js's, tested in tests/ops/staticBrowser.test.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { visitFigures, webLoadUnavailable } from '../../bench/webLoadBench.ts';

const empty = mkdtempSync(path.join(os.tmpdir(), 'beseda-webload-test-'));
afterAll(() => rmSync(empty, { recursive: true, force: true }));

describe('webLoadBench', () => {
  it('keeps the medians of the runs and the fastest and slowest time to the form', () => {
    const visit = (transferred: number, formMs: number, fromNetwork = 6) => ({
      requests: 6,
      fromNetwork,
      transferred,
      formMs,
    });
    expect(visitFigures([visit(120_000, 410.4), visit(125_000, 300.2), visit(122_000, 900.7, 5)])).toEqual({
      requests: 6,
      fromNetwork: 6,
      transferredBytes: 122_000,
      formMs: { p50: 410, min: 300, max: 901 },
    });
    expect(visitFigures([visit(100, 10), visit(300, 30)])).toMatchObject({
      transferredBytes: 200,
      formMs: { p50: 20 },
    });
  });

  it('says why it cannot run where the web client is not built', () => {
    expect(webLoadUnavailable(empty)).toMatch(/no \/usr\/bin\/chromium|dist\/web is not built/);
  });
});
