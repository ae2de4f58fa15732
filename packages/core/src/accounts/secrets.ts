/** Token generation and hashing, injected so core stays free of node: imports. */
export interface Secrets {
  /** A new random bearer token (shown once, never stored). */
  generateToken(): string;
  /** The stored form of a token: a one-way hash. */
  hashToken(token: string): string;
  /** A new random signing secret for a webhook endpoint or source (shown once). */
  generateSecret(prefix: string): string;
  /** HMAC-SHA256 of `message` under `secret`, hex. */
  hmacSha256(secret: string, message: string): string;
  /** Equality that takes the same time wherever the strings differ. */
  safeEqual(left: string, right: string): boolean;
}
