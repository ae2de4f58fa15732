import * as z from "zod";
import { AppError } from "../app-error";
import { parseInput } from "../validate";
import type { AccountDeps } from "./create-user";

export const createTokenInput = z.object({
  user: z.string().min(1),
  name: z.string().max(100).default("default"),
  expiresInDays: z.number().int().positive().optional(),
});

/** Issues another token for an existing user (by name); shown once. */
export async function createToken(deps: AccountDeps, input: z.input<typeof createTokenInput>) {
  const parsed = parseInput(createTokenInput, input);
  const user = await deps.store.system.findUserByName(parsed.user);
  if (!user) throw new AppError("not_found", `No user named "${parsed.user}"`);
  const now = deps.now();
  const token = deps.secrets.generateToken();
  const tokenId = deps.newId();
  const expiresAt =
    parsed.expiresInDays === undefined
      ? null
      : new Date(now.getTime() + parsed.expiresInDays * 86_400_000).toISOString();
  await deps.store.system.transaction((tx) =>
    tx.createToken({
      id: tokenId,
      userId: user.id,
      name: parsed.name,
      hash: deps.secrets.hashToken(token),
      createdAt: now.toISOString(),
      expiresAt,
    }),
  );
  return { user, token, tokenId, expiresAt };
}
