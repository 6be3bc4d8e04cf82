/**
 * A command line that starts `argv` with its soft open-file limit raised to `nofile` through the
 * shell's `ulimit -n` (a process may raise its soft limit up to the hard one without privileges;
 * Node has no setrlimit). `exec` keeps the process id, so /proc/PID figures stay the child's.
 */
export function withOpenFiles(nofile: number | undefined, argv: readonly string[]): [string, string[]] {
  if (nofile === undefined || !Number.isFinite(nofile)) return [argv[0]!, argv.slice(1)];
  return ['/bin/sh', ['-c', `ulimit -n ${Math.floor(nofile)} && exec "$@"`, 'sh', ...argv]];
}
