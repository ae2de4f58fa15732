import type { Secrets } from "../accounts/secrets";

/** The header every delivery carries and every ingest request must carry (SPEC section 9). */
export const signatureHeader = "cairn-signature";

/** `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>` */
export function signPayload(secrets: Secrets, secret: string, rawBody: string, unixSeconds: number): string {
  return `t=${unixSeconds},v1=${secrets.hmacSha256(secret, `${unixSeconds}.${rawBody}`)}`;
}

/** The parts of a signature header, or null when it is not one. */
export function parseSignature(header: string | undefined): { t: number; v1: string } | null {
  if (!header || header.length > 512) return null;
  const parts = new Map(
    header.split(",").map((part) => {
      const at = part.indexOf("=");
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
    }),
  );
  const t = Number(parts.get("t"));
  const v1 = parts.get("v1") ?? "";
  if (!Number.isSafeInteger(t) || !/^[0-9a-f]{64}$/.test(v1)) return null;
  return { t, v1 };
}
