import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Command } from "../../cli/io.js";
import { runCli } from "../../cli/main.js";
import { launch, parseLaunchArgs } from "../../local/launch.js";
import { type LocalAppKind, localAppFile } from "../../local/local-apps.js";
import { startStack } from "../../local/stack.js";
import { STACK_POLICY } from "./stack.js";

/**
 * A set-up command (`github-app`, `slack-app`) run in-process, as `greenlight <name> …argv`;
 * `page` resolves with the localhost page it prints ("Open … in your browser").
 */
export function runSetupCommand(command: Command, argv: string[], env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  let announce: (url: string) => void = () => {};
  const page = new Promise<string>((resolve) => {
    announce = resolve;
  });
  const io = {
    out: (line: string) => {
      out.push(line);
      const url = /^Open (\S+) in your browser/.exec(line)?.[1];
      if (url) announce(url);
    },
    err: (line: string) => err.push(line),
    env,
  };
  const done = runCli([command.name, ...argv], io, [command]);
  return { out, err, page, done };
}

/**
 * `create --local` against an `npm start` without the service's stand-in (a real app is
 * configured): the command's exit code and errors, and whether it wrote the app file.
 */
export async function againstNoStandIn(command: Command, kind: LocalAppKind, argv: string[] = []) {
  const stack = await startStack({ policy: STACK_POLICY });
  const dir = await mkdtemp(join(tmpdir(), `greenlight-${command.name}-`));
  try {
    const run = runSetupCommand(command, ["create", "--local", stack.url, "--data", dir, ...argv]);
    const code = await run.done;
    const wrote = await stat(localAppFile(dir, kind)).then(
      () => true,
      () => false,
    );
    return { code, err: run.err.join("\n"), wrote };
  } finally {
    await stack.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** `npm start --data dir` in-process, on a free port and quiet: what the set-up commands talk to. */
export const launchLocal = (dir: string, args: string[] = []) =>
  launch(parseLaunchArgs(["--data", dir, ...args], { PORT: "0" }), () => {});
