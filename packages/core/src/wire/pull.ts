import * as z from "zod";
import { entrySchema, threadSchema } from "../entities";
import { memorySchema, sessionSchema } from "../memory-entities";
import { taskSchema } from "../task-entities";

import { openAlertSchema } from "./push";
import { pullVersion } from "./versions";

/** Version 1 of the pull wire format (SPEC section 3). */

export const pullQuerySchema = z.object({
  cursor: z.coerce.number().int().nonnegative().default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
  /** The asking device: entries it pushed itself are left out (it has them). */
  device: z.string().min(1).max(100).optional(),
});

export const changeSchema = z.discriminatedUnion("type", [
  z.object({ seq: z.number().int(), type: z.literal("thread"), thread: threadSchema }),
  z.object({ seq: z.number().int(), type: z.literal("entry"), entry: entrySchema }),
  z.object({ seq: z.number().int(), type: z.literal("memory"), memory: memorySchema }),
  z.object({ seq: z.number().int(), type: z.literal("session"), session: sessionSchema }),
  z.object({ seq: z.number().int(), type: z.literal("task"), task: taskSchema }),
]);

export const pullResponseSchema = z.object({
  pullVersion: z.literal(pullVersion),
  changes: z.array(changeSchema),
  cursor: z.number().int().nonnegative(),
  hasMore: z.boolean(),
  /** The user's open destruction alerts, as on a push: a device that only pulls sees them too. */
  alerts: z.array(openAlertSchema).optional(),
});
export type PullResponse = z.infer<typeof pullResponseSchema>;
