import { chmodSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AppError } from "@cairn/core/app-error";
import { privateDirectory } from "@cairn/store/private-files";
import * as z from "zod";
import type { CairnPaths } from "./paths";

export const credentialsSchema = z.object({
  version: z.literal(1),
  server: z.string().url(),
  token: z.string().min(1),
  user: z.object({ id: z.string().min(1), name: z.string() }),
  loggedInAt: z.string(),
  /** When the token expires (null: never), as the server said at login. */
  expiresAt: z.string().nullable().optional(),
});
export type Credentials = z.infer<typeof credentialsSchema>;

const fileName = "credentials.json";

/** The saved login, or null before any login. A damaged file is an error that names it. */
export function readCredentials(paths: CairnPaths): Credentials | null {
  const path = join(paths.configDir, fileName);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = credentialsSchema.safeParse(json);
  if (!parsed.success) {
    throw new AppError("bad_request", `The credentials file ${path} is damaged`, {
      hint: "Run `cairn login --server URL --token TOKEN` again (it rewrites the file).",
    });
  }
  return parsed.data;
}

/** Saves a login atomically (write, then rename) and readable by the owner only. */
export function writeCredentials(paths: CairnPaths, credentials: Credentials): void {
  privateDirectory(paths.configDir);
  const path = join(paths.configDir, fileName);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}

export function removeCredentials(paths: CairnPaths): boolean {
  const path = join(paths.configDir, fileName);
  try {
    rmSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The scope key of a login: one store per (server URL, user id); "local" before any login. */
export function scopeKey(credentials: Credentials | null): string {
  if (!credentials) return "local";
  const server = credentials.server.replace(/\/+$/, "").replace(/[^A-Za-z0-9.-]+/g, "_");
  return `${server}__${credentials.user.id.replace(/[^A-Za-z0-9_-]+/g, "_")}`;
}
