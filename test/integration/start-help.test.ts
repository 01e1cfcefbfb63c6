import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { USAGE } from "../../local/launch.js";

const run = promisify(execFile);

describe("npm start -- --help", () => {
  it("prints every option and variable, starts nothing and exits 0", async () => {
    // A port that is surely taken would make a real start fail: --help must not even try.
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", "local/main.ts", "--help"], {
      env: { ...process.env, PORT: "1" },
      timeout: 60_000,
    });
    expect(stdout.trim()).toBe(USAGE);
    expect(stderr).not.toMatch(/error/i);
    for (const word of ["--memory", "--data", "--fast", "--time-scale", "--help", "PORT", "LOG_LEVEL"])
      expect(stdout).toContain(word);
  });

  it("is the usage the README shows", () => {
    expect(readFileSync("README.md", "utf8")).toContain(USAGE);
  });
});
