// The hub's executable entry point (bundled to dist/hub/beseda-hub.js).
import { describeFailure, main } from './cli/main.ts';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(describeFailure(err) + '\n');
    process.exit(1);
  },
);
