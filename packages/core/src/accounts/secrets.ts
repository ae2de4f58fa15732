/** Token generation and hashing, injected so core stays free of node: imports. */
export interface Secrets {
  /** A new random bearer token (shown once, never stored). */
  generateToken(): string;
  /** The stored form of a token: a one-way hash. */
  hashToken(token: string): string;
}
