/**
 * The hub's version: `beseda-hub --version`, `hello`, /healthz, the start-up log and the metrics'
 * version info. It must equal package.json's `version` (a test compares them), so a release
 * changes both together.
 */
export const hubVersion = '0.1.0';
