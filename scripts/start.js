// `npm start`: builds what is missing, runs the hub (SQLite in ./data, web client at /), and the
// desktop app beside it where Electron's binary can be had.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
await import('./build.js');

const port = process.env.BESEDA_PORT ?? '8080';
const hub = spawn(
  process.execPath,
  [
    'dist/hub/beseda-hub.js',
    'serve',
    '--data',
    process.env.BESEDA_DATA ?? './data',
    '--port',
    port,
    '--web-root',
    'dist/web',
  ],
  { stdio: ['ignore', 'inherit', 'inherit'] },
);
const children = [hub];
const stopAll = (code) => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  process.exitCode = code;
};
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));
hub.on('exit', (code) => stopAll(code ?? 1));

if (existsSync(path.join(root, 'scripts/desktop-launch.js')) && process.env.BESEDA_NO_DESKTOP !== '1') {
  // Give the hub a moment to listen before the app connects (the app retries anyway).
  await new Promise((r) => setTimeout(r, 1500));
  const { launchDesktop } = await import('./desktop-launch.js');
  const app = await launchDesktop({ hubUrl: `http://localhost:${port}` });
  if (app) {
    children.push(app);
    app.on('exit', () => console.log('desktop app closed; the hub keeps running (Ctrl+C stops it)'));
  }
}
