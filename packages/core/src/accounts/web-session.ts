import * as z from "zod";
import type { User } from "../entities";
import { parseInput } from "../validate";
import { authenticate } from "./authenticate";
import type { AccountDeps } from "./create-user";

/** The cookie a browser holds instead of the API token (`HttpOnly`: the page's scripts never see it). */
export const sessionCookie = "cairn_session";

/** How long a browser session lasts before the user logs in again. */
export const sessionLifetimeMs = 7 * 24 * 60 * 60 * 1000;

/** The name of a session's row among the user's tokens (`cairn admin token list` shows and revokes it). */
export const sessionTokenName = "web session";

export const loginInput = z.object({ token: z.string().min(1).max(500) });

/**
 * Login for the web UI (`POST /api/session`): the API token is checked once and a new session
 * secret made for the cookie. The secret is stored like a token, hashed, with an expiry, as a
 * token of the user named "web session", so revoking it (logout, or an administrator) works as
 * for any token, and the API token itself never reaches the browser's storage.
 */
export async function startWebSession(
  deps: AccountDeps,
  input: z.input<typeof loginInput>,
): Promise<{ secret: string; user: User; expiresAt: string }> {
  const { token } = parseInput(loginInput, input);
  const { user } = await authenticate(deps, token);
  const secret = deps.secrets.generateToken();
  const now = deps.now();
  const expiresAt = new Date(now.getTime() + sessionLifetimeMs).toISOString();
  await deps.store.system.transaction((tx) =>
    tx.createToken({
      id: deps.newId(),
      userId: user.id,
      name: sessionTokenName,
      hash: deps.secrets.hashToken(secret),
      createdAt: now.toISOString(),
      expiresAt,
    }),
  );
  return { secret, user, expiresAt };
}

/** Logout (`DELETE /api/session`): the session's token row is revoked; its cookie then fails like any revoked token. */
export async function endWebSession(deps: AccountDeps, session: { userId: string; tokenId: string }): Promise<void> {
  await deps.store.system.transaction((tx) =>
    tx.forUser(session.userId).revokeToken(session.tokenId, deps.now().toISOString()),
  );
}
