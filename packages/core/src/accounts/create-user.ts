import * as z from "zod";
import { AppError } from "../app-error";
import type { User } from "../entities";
import type { Store } from "../store/store-port";
import { parseInput } from "../validate";
import type { Secrets } from "./secrets";

export const createUserInput = z.object({
  name: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, "must be 1-64 letters, digits, '.', '_' or '-'"),
  tokenName: z.string().max(100).default("default"),
});

export interface AccountDeps {
  store: Store;
  secrets: Secrets;
  newId: () => string;
  now: () => Date;
}

/** Creates a user with a first API token; the token is returned once and only its hash is kept. */
export async function createUser(
  deps: AccountDeps,
  input: z.input<typeof createUserInput>,
): Promise<{ user: User; token: string; tokenId: string }> {
  const parsed = parseInput(createUserInput, input);
  const createdAt = deps.now().toISOString();
  const user: User = { id: deps.newId(), name: parsed.name, createdAt };
  const token = deps.secrets.generateToken();
  const tokenId = deps.newId();
  await deps.store.system.transaction(async (tx) => {
    if (await tx.findUserByName(parsed.name)) {
      throw new AppError("conflict", `A user named "${parsed.name}" already exists`);
    }
    await tx.createUser(user);
    await tx.createToken({
      id: tokenId,
      userId: user.id,
      name: parsed.tokenName,
      hash: deps.secrets.hashToken(token),
      createdAt,
      expiresAt: null,
    });
  });
  return { user, token, tokenId };
}
