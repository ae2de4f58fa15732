import { AppError } from "../app-error";
import type { User } from "../entities";
import type { Store } from "../store/store-port";
import type { Secrets } from "./secrets";

const touchEveryMs = 60_000;

/**
 * Resolves a bearer token to its user. The token is looked up by its hash
 * (never compared in plain text); expired and revoked tokens fail the same way
 * as unknown ones, so a caller learns nothing from the difference.
 */
export async function authenticate(
  deps: { store: Store; secrets: Secrets; now: () => Date },
  bearer: string | undefined,
): Promise<{ user: User; tokenId: string; tokenExpiresAt: string | null }> {
  if (!bearer) throw new AppError("unauthenticated", "Missing bearer token");
  const found = await deps.store.system.findTokenByHash(deps.secrets.hashToken(bearer));
  const now = deps.now();
  if (
    !found ||
    found.token.revokedAt !== null ||
    (found.token.expiresAt !== null && Date.parse(found.token.expiresAt) <= now.getTime())
  ) {
    throw new AppError("unauthenticated", "Invalid, expired or revoked token");
  }
  // last_used_at is informational: write it at most once a minute, not per request.
  const lastUsed = found.token.lastUsedAt === null ? 0 : Date.parse(found.token.lastUsedAt);
  if (now.getTime() - lastUsed > touchEveryMs) {
    await deps.store.system.transaction((tx) => tx.touchToken(found.token.id, now.toISOString()));
  }
  return { user: found.user, tokenId: found.token.id, tokenExpiresAt: found.token.expiresAt };
}
