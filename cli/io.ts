// What every `greenlight` command gets: its arguments, where to write, and the environment.
// Commands return an exit code instead of calling process.exit, so tests can run them in-process.

export interface CliIo {
  /** A line for the person (progress, results). */
  out: (line: string) => void;
  /** A line about a problem (to stderr). */
  err: (line: string) => void;
  env: NodeJS.ProcessEnv;
}

/** Exit codes scripts can rely on. */
export const EXIT = {
  ok: 0,
  /** A check failed or the service said no: the command ran, the answer is "not yet". */
  problem: 1,
  /** The command line itself was wrong (unknown command or option). */
  usage: 2,
} as const;

export interface Command {
  name: string;
  /** One line for `greenlight --help`. */
  summary: string;
  /** The command's own `--help` text. */
  usage: string;
  run: (argv: string[], io: CliIo) => Promise<number>;
}
