import { readFile, rename, writeFile } from "node:fs/promises";
import type { Logger } from "../lambdas/log.js";

/**
 * # A stand-in's state in the data folder
 *
 * `npm start` promises that Ctrl-C and a restart lose nothing: each stand-in's whole state object
 * is written on stop and read back on start. The encoding is generic (own fields, with Maps, Sets
 * and Dates tagged), so fields other work adds to a stand-in's state are kept without touching
 * this file. Functions and `skip`ped fields (keys, clocks) are left to the fresh start.
 */

const MAP = "$map";
const SET = "$set";
const DATE = "$date";

/** An object's own fields as JSON: Maps, Sets and Dates survive the round trip. */
export function encodeState(target: object, skip: readonly string[] = []): string {
  const fields = Object.fromEntries(
    Object.entries(target).filter(([key, value]) => !skip.includes(key) && typeof value !== "function"),
  );
  return JSON.stringify({ version: 1, fields }, function (this: Record<string, unknown>, key, value) {
    const raw = this[key];
    if (raw instanceof Map) return { [MAP]: [...raw.entries()] };
    if (raw instanceof Set) return { [SET]: [...raw] };
    if (raw instanceof Date) return { [DATE]: raw.toISOString() };
    return value;
  });
}

function revive(_key: string, value: unknown): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  if (MAP in value && Array.isArray(value[MAP])) return new Map(value[MAP]);
  if (SET in value && Array.isArray(value[SET])) return new Set(value[SET]);
  if (DATE in value && typeof value[DATE] === "string") return new Date(value[DATE]);
  return value;
}

/**
 * What a file the local stack saved as `{ "version": 1, [key]: … }` holds under `key`; anything
 * else (another program's file, an older format) throws, naming `what`, rather than half-loading.
 */
export function savedPayload(parsed: unknown, key: string, what: string): unknown {
  if (typeof parsed !== "object" || parsed === null || !("version" in parsed) || parsed.version !== 1)
    throw new Error(`not a saved ${what} (version 1)`);
  return (parsed as Record<string, unknown>)[key];
}

/**
 * Saved fields back into a freshly started stand-in's state. Maps are merged (what the start set
 * up from the policy stays, saved entries win), arrays and Sets replaced, numbers keep the larger
 * (counters and next ids must never hand out a value twice), other values are overwritten. A field
 * the state no longer has is ignored; a file that is not ours throws.
 */
export function restoreState(target: object, text: string): void {
  const fields = savedPayload(JSON.parse(text, revive), "fields", "stand-in state");
  if (typeof fields !== "object" || fields === null)
    throw new Error("not a saved stand-in state (version 1)");
  const into = target as Record<string, unknown>;
  for (const [key, saved] of Object.entries(fields)) {
    if (!(key in into)) continue;
    const current = into[key];
    if (current instanceof Map && saved instanceof Map) {
      for (const [k, v] of saved) current.set(k, v);
    } else if (current instanceof Set && saved instanceof Set) {
      current.clear();
      for (const v of saved) current.add(v);
    } else if (Array.isArray(current) && Array.isArray(saved)) {
      current.splice(0, current.length, ...saved);
    } else if (typeof current === "number" && typeof saved === "number") {
      into[key] = Math.max(current, saved);
    } else if (typeof current !== "function") {
      into[key] = saved;
    }
  }
}

/** Write temp + rename: a stop cut short leaves the previous file whole, never half of a new one. */
export async function writeAtomically(path: string, text: string): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, text);
  await rename(temp, path);
}

/**
 * Read a state file and hand it to `load`. No file: a first start, nothing to say. A file `load`
 * refuses: a warning naming the file and a fresh start, rather than a stack that will not start.
 */
export async function loadStateFile(
  path: string | undefined,
  load: (text: string) => void,
  log: Logger,
): Promise<void> {
  if (!path) return;
  const text = await readFile(path, "utf8").catch((e: unknown) => {
    if (e instanceof Error && "code" in e && e.code === "ENOENT") return undefined;
    throw e;
  });
  if (text === undefined) return;
  try {
    load(text);
  } catch (e: unknown) {
    log.warn(
      { file: path, reason: e instanceof Error ? e.message : String(e) },
      "saved state unreadable: starting this part afresh (delete the file to silence this)",
    );
  }
}
