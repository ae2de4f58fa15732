import * as z from "zod";

/** `GET /api/me`: who a token belongs to. */
export const meResponseSchema = z.object({
  user: z.object({ id: z.string(), name: z.string() }),
  token: z.object({ expiresAt: z.string().nullable() }).optional(),
  /** Whether the user administers the server (CAIRN_ADMIN_USERS): the web UI shows the Jobs page. */
  admin: z.boolean().optional(),
});
