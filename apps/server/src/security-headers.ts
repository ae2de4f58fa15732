/**
 * Headers on every answer, the hijacked event streams included: no framing (clickjacking), no
 * referrer (a URL may name a thread or a search), no content sniffing, and a policy that lets an
 * API answer run nothing. The web UI's pages set their own policy for their scripts and styles.
 */
export const securityHeaders: Record<string, string> = {
  "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
};
