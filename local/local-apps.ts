/**
 * # The apps `greenlight … create --local` made, for the next `npm start`
 *
 * `greenlight github-app create --local` and `greenlight slack-app create --local` register an
 * App on the running stand-ins; their credentials are written here, in the data folder
 * (`.data/` by default, `--data DIR`), one file per service, readable by this user only (0600),
 * so the next `npm start` over that folder runs with those apps instead of fresh ones. This is
 * the only place a private key or token of the set-up commands ever reaches disk; a deployed
 * stack's credentials go to Secrets Manager only.
 */
import { chmod, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { savedPayload } from "./state-file.js";

const githubApp = z.object({
  appId: z.number().int().positive(),
  slug: z.string().min(1),
  privateKey: z.string().includes("PRIVATE KEY"),
  webhookSecret: z.string().min(16),
  clientId: z.string(),
  htmlUrl: z.string(),
});

const slackApp = z.object({
  appId: z.string().regex(/^A[A-Z0-9]{2,}$/),
  teamId: z.string().regex(/^T[A-Z0-9]{2,}$/),
  signingSecret: z.string().min(16),
  botToken: z.string().startsWith("xoxb-"),
  clientId: z.string(),
});

export type LocalGitHubApp = z.infer<typeof githubApp>;
export type LocalSlackApp = z.infer<typeof slackApp>;

const FILES = {
  github: { name: "github-app.json", schema: githubApp },
  slack: { name: "slack-app.json", schema: slackApp },
} as const;

export type LocalAppKind = keyof typeof FILES;

export const localAppFile = (dataDir: string, kind: LocalAppKind) => join(dataDir, FILES[kind].name);

/**
 * The app saved for `kind`, or undefined when there is none. A file that is not one throws,
 * naming it: `npm start` must not quietly fall back to a fresh app the operator did not ask for.
 */
export async function readLocalApp(dataDir: string, kind: "github"): Promise<LocalGitHubApp | undefined>;
export async function readLocalApp(dataDir: string, kind: "slack"): Promise<LocalSlackApp | undefined>;
export async function readLocalApp(
  dataDir: string,
  kind: LocalAppKind,
): Promise<LocalGitHubApp | LocalSlackApp | undefined> {
  const path = localAppFile(dataDir, kind);
  const text = await readFile(path, "utf8").catch((e: unknown) => {
    if (e instanceof Error && "code" in e && e.code === "ENOENT") return undefined;
    throw e;
  });
  if (text === undefined) return undefined;
  let payload: unknown;
  try {
    payload = savedPayload(JSON.parse(text), "app", `${kind} app`);
  } catch (e: unknown) {
    throw new Error(`${path}: ${e instanceof Error ? e.message : String(e)} (delete it to start without it)`);
  }
  const parsed = FILES[kind].schema.safeParse(payload);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.join(".") ?? "?";
    throw new Error(
      `${path}: field "${field}" is not what the set-up command writes (delete it to start without it)`,
    );
  }
  return parsed.data;
}

/**
 * Write the app for `kind`: created 0600 before a byte is written (never world-readable, even
 * for a moment), then renamed over any earlier file.
 */
export async function writeLocalApp(
  dataDir: string,
  kind: LocalAppKind,
  app: LocalGitHubApp | LocalSlackApp,
): Promise<string> {
  const checked = FILES[kind].schema.parse(app);
  await mkdir(dataDir, { recursive: true });
  const path = localAppFile(dataDir, kind);
  const temp = `${path}.${process.pid}.tmp`;
  await rm(temp, { force: true });
  await writeFile(temp, `${JSON.stringify({ version: 1, app: checked }, null, 2)}\n`, {
    mode: 0o600,
    flag: "wx",
  });
  // The mode given to open() is masked by the umask; 0600 has nothing a umask removes, but say it.
  await chmod(temp, 0o600);
  await rename(temp, path);
  return path;
}
