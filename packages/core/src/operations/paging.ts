import * as z from "zod";
import { limits } from "../limits";

/** `limit` and `offset` as every list takes them (strings from query params are coerced). */
export const pagingSchema = z.object({
  limit: z.coerce.number().int().min(1).max(limits.maxPageSize).default(limits.pageSize),
  offset: z.coerce.number().int().min(0).default(0),
});
