// `greenlight <command>`: the operator's tool (doctor, audit, app set-up). Wiring only.
import { commands } from "./commands.js";
import { type CliIo, type Command, EXIT } from "./io.js";

export function usage(list: readonly Command[] = commands): string {
  const width = Math.max(8, ...list.map((c) => c.name.length));
  return [
    "Usage: greenlight <command> [options]   (npx greenlight …, or npm run greenlight -- …)",
    "",
    "Commands:",
    ...list.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "`greenlight <command> --help` shows a command's options.",
    "Exit codes: 0 ok, 1 a problem was found or the service refused, 2 the command line was wrong.",
  ].join("\n");
}

/** Run one command line; returns the exit code. */
export async function runCli(
  argv: string[],
  io: CliIo,
  list: readonly Command[] = commands,
): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.out(usage(list));
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = list.find((c) => c.name === name);
  if (!command) {
    io.err(`greenlight: unknown command "${name}"\n\n${usage(list)}`);
    return EXIT.usage;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.out(command.usage);
    return EXIT.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (e: unknown) {
    io.err(`greenlight ${name}: ${e instanceof Error ? e.message : String(e)}`);
    return EXIT.problem;
  }
}
