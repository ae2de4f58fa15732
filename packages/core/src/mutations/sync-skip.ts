import * as z from "zod";
import { AppError } from "../app-error";
import { defineMutation } from "./mutation";

export const syncSkipArgs = z.object({ reason: z.string().max(2000) });

/**
 * `sync.skip`: takes the place of a row the client parked dead without the
 * server ever reading it (alone over the body limit, or its stored JSON
 * damaged). The server records it as rejected with the client's reason and
 * moves the device's seq past it; without it, every later push of that
 * device would stop at the gap. It never changes data.
 */
export const syncSkip = defineMutation({
  op: "sync.skip",
  args: syncSkipArgs,
  entityId: () => "",
  async apply(_context, args) {
    throw new AppError("invalid_input", `skipped by the client: ${args.reason}`);
  },
});
