import { describe, expect, it } from "vitest";
import { createLogger } from "../../lambdas/log.js";
import { friendlyDestination, friendlyLine } from "../../local/console-log.js";
import { parseLaunchArgs } from "../../local/launch.js";

describe("npm start's console: friendly lines unless LOG_LEVEL asks for JSON", () => {
  it("a pino line becomes time, level, message and the fields, on one line", () => {
    const line = JSON.stringify({
      level: 40,
      time: Date.parse("2026-12-03T08:04:31Z"),
      name: "greenlight",
      msg: "runner: the approval action does not notify Greenlight's topic",
      pipeline: "shop-web",
      attempt: 2,
    });
    expect(friendlyLine(line)).toBe(
      "08:04:31 warning  runner: the approval action does not notify Greenlight's topic (pipeline=shop-web attempt=2)\n",
    );
  });

  it("what the logger redacts stays redacted on the console", () => {
    const printed: string[] = [];
    const log = createLogger({
      level: "warn",
      destination: friendlyDestination({ write: (t) => printed.push(t) }),
    });
    log.warn({ token: "3f2b6c1e-9a4d-4e7b-8c21-5d6f7a8b9c0d", approvalId: "a1" }, "late decision");
    log.info("not shown at warn");
    expect(printed).toHaveLength(1);
    expect(printed[0]).toMatch(/ warning {2}late decision \(token=\[redacted\] approvalId=a1\)\n$/);
  });

  it("LOG_LEVEL unset → friendly at warn; set → JSON at that level", () => {
    expect(parseLaunchArgs([], {})).toMatchObject({ logLevel: "warn", logFormat: "friendly" });
    expect(parseLaunchArgs([], { LOG_LEVEL: "info" })).toMatchObject({ logLevel: "info", logFormat: "json" });
  });
});
