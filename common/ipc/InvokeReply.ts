/**
 * What crosses back to the renderer for one `invoke` call. Errors travel as data because Electron
 * keeps only an error's message across IPC, and the UI needs the code (`forbidden`, `offline`, …).
 */
export type InvokeReply = { ok: true; value: unknown } | { ok: false; code: string; message: string };
