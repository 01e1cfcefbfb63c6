import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { encodeState, loadStateFile, restoreState, writeAtomically } from "../../local/state-file.js";
import { captureLogs } from "../support/logs.js";

class Sample {
  readonly items: { at: Date; n: number }[] = [];
  readonly byId = new Map<string, { members: Set<string> }>();
  counter = 0;
  label: string | undefined;
  readonly clock = () => new Date(0);
}

describe("stand-in state files", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it("round-trips arrays, Maps, Sets and Dates; merges Maps; counters keep the larger", () => {
    const saved = new Sample();
    saved.items.push({ at: new Date("2026-12-02T06:00:00.000Z"), n: 1 });
    saved.byId.set("C1", { members: new Set(["U1", "U2"]) });
    saved.counter = 7;
    saved.label = "kept";
    const fresh = new Sample();
    fresh.byId.set("C2", { members: new Set(["U3"]) });
    fresh.counter = 9;

    restoreState(fresh, encodeState(saved, ["label"]));

    expect(fresh.items).toEqual([{ at: new Date("2026-12-02T06:00:00.000Z"), n: 1 }]);
    expect(fresh.byId.get("C1")?.members).toEqual(new Set(["U1", "U2"]));
    expect(fresh.byId.get("C2")?.members).toEqual(new Set(["U3"]));
    expect(fresh.counter).toBe(9);
    expect(fresh.label).toBeUndefined();
    expect(fresh.clock()).toEqual(new Date(0));
  });

  it("refuses a file that is not a saved state, before changing anything", () => {
    const fresh = new Sample();
    fresh.counter = 3;

    expect(() => restoreState(fresh, '{"version":2,"fields":{"counter":5}}')).toThrow(/version 1/);
    expect(fresh.counter).toBe(3);
  });

  it("writes through a temporary file; a missing file is a quiet first start; a damaged one a warning", async () => {
    const dir = await mkdtemp(join(tmpdir(), "greenlight-state-"));
    dirs.push(dir);
    const good = join(dir, "good.json");
    const bad = join(dir, "bad.json");
    await writeAtomically(good, encodeState({ counter: 4 }));
    await writeFile(bad, "{ not json");
    const logs = captureLogs();
    const loaded: string[] = [];

    await loadStateFile(join(dir, "missing.json"), (t) => loaded.push(t), logs.log);
    await loadStateFile(good, (t) => loaded.push(t), logs.log);
    await loadStateFile(bad, (t) => restoreState({}, t), logs.log);

    expect(loaded).toEqual([await readFile(good, "utf8")]);
    expect((await readdir(dir)).sort()).toEqual(["bad.json", "good.json"]);
    expect(logs.entries()).toEqual([
      expect.objectContaining({ level: 40, file: bad, msg: expect.stringContaining("afresh") }),
    ]);
  });
});
