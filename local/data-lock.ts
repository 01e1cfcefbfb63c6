import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** Held by the running process; LevelDB allows one process per folder. */
export class DataDirInUse extends Error {
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(
      `${dir} is in use by another Greenlight (process ${pid}): stop it first, or run this one with --memory or --data OTHER_DIR`,
    );
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e: unknown) {
    // EPERM: the process exists but belongs to someone else.
    return e instanceof Error && "code" in e && e.code === "EPERM";
  }
}

/**
 * Claim `dir` for this process. dynalite would otherwise fail deep inside a request with
 * "Database is closed" when a second `npm start` opens the same LevelDB folder.
 * Returns the release function; a lock left by a process that died is taken over.
 */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const file = join(dir, "greenlight.pid");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(file, String(process.pid), { flag: "wx" });
      return () => rm(file, { force: true });
    } catch (e: unknown) {
      if (!(e instanceof Error && "code" in e && e.code === "EEXIST")) throw e;
      const pid = Number((await readFile(file, "utf8").catch(() => "")).trim());
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) throw new DataDirInUse(dir, pid);
      await rm(file, { force: true });
    }
  }
  throw new Error(`Could not claim ${dir}`);
}
