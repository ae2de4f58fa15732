import * as z from "zod";
import { idSchema, isoTimeSchema } from "../entities";
import { limits } from "../limits";

import { pushVersion } from "./versions";

/** An open destruction alert as push and pull report it to a device. */
export const openAlertSchema = z.object({
  id: z.string(),
  severity: z.string(),
  deleteCount: z.number(),
  createdAt: z.string(),
});
export type OpenAlert = z.infer<typeof openAlertSchema>;

/** Version 1 of the push wire format (SPEC section 3). */

export const mutationSchema = z.object({
  seq: z.number().int().positive(),
  op: z.string().min(1).max(64),
  args: z.unknown(),
  clientTime: isoTimeSchema,
});
export type WireMutation = z.infer<typeof mutationSchema>;

export const pushRequestSchema = z.object({
  pushVersion: z.literal(pushVersion),
  deviceId: idSchema,
  /** Whose rows these are, as the client believes; the server refuses a mismatch with the token. */
  scope: z.object({ userId: z.string().min(1) }),
  mutations: z.array(mutationSchema).max(limits.pushMutations),
  /**
   * The highest seq this device had sent before this request. The server cannot have
   * applied more of its seqs than it sent: when it has, another copy of the device (a copied
   * or restored CAIRN_HOME) pushed under the same id, and the push is refused as
   * `device_forked` before anything is applied (see applyPush). Absent: not checked.
   */
  sentThrough: z.number().int().nonnegative().optional(),
});
export type PushRequest = z.infer<typeof pushRequestSchema>;

export const mutationStatusSchema = z.enum(["applied", "duplicate", "rejected", "out_of_order"]);
export type MutationStatus = z.infer<typeof mutationStatusSchema>;

export const mutationResultSchema = z.object({
  seq: z.number().int(),
  status: mutationStatusSchema,
  reason: z.string().optional(),
});
export type MutationResult = z.infer<typeof mutationResultSchema>;

export const pushResponseSchema = z.object({
  pushVersion: z.literal(pushVersion),
  lastAppliedSeq: z.number().int().nonnegative(),
  results: z.array(mutationResultSchema),
  /** The user's open destruction alerts (so `cairn sync status` can show them offline later). */
  alerts: z.array(openAlertSchema).optional(),
});
export type PushResponse = z.infer<typeof pushResponseSchema>;
