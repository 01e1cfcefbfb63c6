import { vi } from "vitest";

/** `vi.stubEnv` for each variable: the SDK and the Lambda entries read process.env themselves; undo with `vi.unstubAllEnvs()`. */
export function stubEnvs(values: Record<string, string>): void {
  for (const [name, value] of Object.entries(values)) vi.stubEnv(name, value);
}
