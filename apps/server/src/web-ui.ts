import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

/**
 * The page's policy: its own scripts and styles only (no inline script anywhere), requests to
 * this origin only, never framed, no referrer.
 */
export const pageSecurityPolicy =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
  "font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** Paths that are never the page: the API, MCP and health answer in JSON (a 404 stays a JSON 404). */
const notPages = /^\/(?:api|mcp|healthz|readyz|assets)(?:\/|$|\?)/;

/**
 * Serves the web UI built into `root` (apps/cli/dist/web: index.html and hashed assets): the
 * assets under /assets (cached for good: their names change with their content), and the page
 * for any other GET a browser makes outside the API. Returns the handler for unmatched requests
 * that wants the page, or null when the UI is not built.
 */
export async function registerWebUi(
  app: FastifyInstance,
  root: string,
): Promise<((request: FastifyRequest, reply: FastifyReply) => boolean) | null> {
  const page = join(root, "index.html");
  if (!existsSync(page)) return null;
  const html = readFileSync(page, "utf8");
  await app.register(fastifyStatic, {
    root: join(root, "assets"),
    prefix: "/assets/",
    immutable: true,
    maxAge: "365d",
    index: false,
    wildcard: true,
  });
  return (request, reply) => {
    if (request.method !== "GET" && request.method !== "HEAD") return false;
    if (notPages.test(request.url)) return false;
    if (!/text\/html|\*\/\*/.test(String(request.headers.accept ?? ""))) return false;
    reply
      .code(200)
      .header("content-type", "text/html; charset=utf-8")
      .header("cache-control", "no-cache")
      .header("content-security-policy", pageSecurityPolicy)
      .send(html);
    return true;
  };
}
