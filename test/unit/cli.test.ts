import { describe, expect, it } from "vitest";
import type { Command } from "../../cli/io.js";
import { runCli } from "../../cli/main.js";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), env: {} }, out, err };
}

const echo: Command = {
  name: "echo",
  summary: "say the arguments back",
  usage: "Usage: greenlight echo [words]",
  run: async (argv, io) => {
    io.out(argv.join(" "));
    return argv.length ? 0 : 1;
  },
};

describe("greenlight command", () => {
  it("lists the commands with --help and exits 0; without a command it exits 2", async () => {
    const help = capture();
    expect(await runCli(["--help"], help.io, [echo])).toBe(0);
    expect(help.out.join("\n")).toMatch(/echo\s+say the arguments back/);
    const none = capture();
    expect(await runCli([], none.io, [echo])).toBe(2);
  });

  it("refuses an unknown command with exit 2 and names it", async () => {
    const c = capture();
    expect(await runCli(["dcotor"], c.io, [echo])).toBe(2);
    expect(c.err.join("\n")).toContain('unknown command "dcotor"');
  });

  it("shows a command's own usage and passes its exit code through", async () => {
    const help = capture();
    expect(await runCli(["echo", "--help"], help.io, [echo])).toBe(0);
    expect(help.out).toEqual(["Usage: greenlight echo [words]"]);
    const ran = capture();
    expect(await runCli(["echo", "a", "b"], ran.io, [echo])).toBe(0);
    expect(ran.out).toEqual(["a b"]);
    expect(await runCli(["echo"], capture().io, [echo])).toBe(1);
  });

  it("turns a thrown error into one line and exit 1", async () => {
    const boom: Command = { ...echo, name: "boom", run: async () => Promise.reject(new Error("no stack")) };
    const c = capture();
    expect(await runCli(["boom"], c.io, [boom])).toBe(1);
    expect(c.err).toEqual(["greenlight boom: no stack"]);
  });
});
