// The hub's executable entry point (bundled to dist/hub/beseda-hub.js). Services run it directly
// (`node dist/hub/beseda-hub.js serve …`, or the package bin `beseda-hub`, which runs it in the
// same process), so SIGTERM reaches the hub itself.
import { describeFailure, main } from './cli/main.ts';

const argv = process.argv.slice(2);

/**
 * Under `npm run hub` / `npm start`, npm runs us through `sh -c`: a SIGTERM to npm ends npm and
 * that shell but never reaches this process, which would keep the port and the data lock,
 * re-parented to PID 1. So a hub started by npm stops (gracefully, as on SIGTERM) when the
 * process that started it is gone. Not outside npm: `nohup beseda-hub serve &` must outlive its shell.
 */
function stopWithLauncher(): void {
  const launcher = process.ppid;
  const gone = () => {
    if (process.ppid !== launcher) return true;
    try {
      process.kill(launcher, 0);
      return false;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'ESRCH';
    }
  };
  const timer = setInterval(() => {
    // Before `serve` listens for SIGTERM there is nothing to stop gracefully yet: look again later.
    if (!gone() || process.listenerCount('SIGTERM') === 0) return;
    clearInterval(timer);
    process.emit('SIGTERM', 'SIGTERM');
  }, 500);
  timer.unref();
}

if (argv[0] === 'serve' && process.env.npm_lifecycle_event !== undefined) stopWithLauncher();

main(argv).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(describeFailure(err) + '\n');
    process.exit(1);
  },
);
