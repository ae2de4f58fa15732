import type { ApiToken, User } from "@cairn/core/entities";
import type { NewToken } from "@cairn/core/store/store-types";
import { columns, type TokenRow, toToken, toUser, type UserRow } from "../row-mappers";
import type { SqlExec } from "./sql-exec";

/** Users and their API tokens (stored as hashes only). */

export async function getUser(sql: SqlExec, userId: string): Promise<User | null> {
  const [row] = await sql.all<UserRow>(`SELECT ${columns.user} FROM users WHERE id = ?`, [userId]);
  return row ? toUser(row) : null;
}

export async function findUserByName(sql: SqlExec, name: string): Promise<User | null> {
  const [row] = await sql.all<UserRow>(`SELECT ${columns.user} FROM users WHERE name = ?`, [name]);
  return row ? toUser(row) : null;
}

export async function countUsers(sql: SqlExec): Promise<number> {
  const [row] = await sql.all<{ n: number | string }>("SELECT COUNT(*) AS n FROM users");
  return Number(row?.n ?? 0);
}

/** Every user, by name, with how many live (not revoked) tokens each has: for the administrator. */
export async function listUsers(
  sql: SqlExec,
  query: { limit: number; offset: number },
): Promise<{ users: (User & { activeTokens: number })[]; total: number }> {
  const rows = await sql.all<UserRow & { active_tokens: number | string }>(
    `SELECT ${columns.user
      .split(", ")
      .map((column) => `u.${column}`)
      .join(", ")},
       (SELECT COUNT(*) FROM api_tokens t WHERE t.user_id = u.id AND t.revoked_at IS NULL) AS active_tokens
     FROM users u ORDER BY u.name LIMIT ? OFFSET ?`,
    [query.limit, query.offset],
  );
  return {
    users: rows.map((row) => ({ ...toUser(row), activeTokens: Number(row.active_tokens) })),
    total: await countUsers(sql),
  };
}

/** The token with this hash and its user (every authenticated request asks this). */
export async function findTokenByHash(sql: SqlExec, hash: string): Promise<{ token: ApiToken; user: User } | null> {
  const [token] = await sql.all<TokenRow>(`SELECT ${columns.token} FROM api_tokens WHERE token_hash = ?`, [hash]);
  if (!token) return null;
  const user = await getUser(sql, token.user_id);
  return user ? { token: toToken(token), user } : null;
}

export async function listTokens(sql: SqlExec, userId: string): Promise<ApiToken[]> {
  const rows = await sql.all<TokenRow>(
    `SELECT ${columns.token} FROM api_tokens WHERE user_id = ? ORDER BY created_at, id`,
    [userId],
  );
  return rows.map(toToken);
}

export async function createUser(sql: SqlExec, user: User): Promise<void> {
  await sql.run("INSERT INTO users (id, name, created_at) VALUES (?, ?, ?)", [user.id, user.name, user.createdAt]);
}

export async function createToken(sql: SqlExec, token: NewToken): Promise<void> {
  await sql.run(
    "INSERT INTO api_tokens (id, user_id, name, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
    [token.id, token.userId, token.name, token.hash, token.createdAt, token.expiresAt],
  );
}

export async function touchToken(sql: SqlExec, tokenId: string, at: string): Promise<void> {
  await sql.run("UPDATE api_tokens SET last_used_at = ? WHERE id = ?", [at, tokenId]);
}

export async function revokeToken(sql: SqlExec, userId: string, tokenId: string, at: string): Promise<boolean> {
  const changed = await sql.run(
    "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL",
    [at, tokenId, userId],
  );
  return changed > 0;
}
