import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Secrets } from "@cairn/core/accounts/secrets";

/**
 * Tokens are 256 random bits; a fast hash (SHA-256) is the right store for
 * them (no dictionary to attack). Lookup by hash means the plain token is
 * never compared byte by byte, so response time tells nothing about it.
 */
export const nodeSecrets: Secrets = {
  generateToken: () => `cairn_${randomBytes(32).toString("base64url")}`,
  hashToken: (token) => createHash("sha256").update(token).digest("hex"),
  generateSecret: (prefix) => `${prefix}_${randomBytes(32).toString("base64url")}`,
  hmacSha256: (secret, message) => createHmac("sha256", secret).update(message).digest("hex"),
  safeEqual: (left, right) => {
    // Hashing both first gives equal lengths, so the comparison's time says nothing about either.
    const a = createHash("sha256").update(left).digest();
    const b = createHash("sha256").update(right).digest();
    return timingSafeEqual(a, b) && left.length === right.length;
  },
};
