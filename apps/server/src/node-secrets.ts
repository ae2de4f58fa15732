import { createHash, randomBytes } from "node:crypto";
import type { Secrets } from "@cairn/core/accounts/secrets";

/**
 * Tokens are 256 random bits; a fast hash (SHA-256) is the right store for
 * them (no dictionary to attack). Lookup by hash means the plain token is
 * never compared byte by byte, so response time tells nothing about it.
 */
export const nodeSecrets: Secrets = {
  generateToken: () => `cairn_${randomBytes(32).toString("base64url")}`,
  hashToken: (token) => createHash("sha256").update(token).digest("hex"),
};
