import { recentChanges } from "@cairn/core/operations/recent-changes";
import { api } from "@cairn/core/wire/api";
import type { FastifyInstance } from "fastify";
import { userOf } from "../auth";
import type { ServerDeps } from "../server-deps";
import { openEventStream } from "./event-stream";
import { route } from "./typed-route";

/** How often a live stream looks for new changes: a write shows within a second, whichever server process took it. */
const pollMs = 400;
/**
 * A `heartbeat` event this often keeps proxies from closing a quiet stream and lets the page tell
 * a silent stream from a dead one (an event, not a comment: EventSource hides comments).
 */
const heartbeatMs = 15_000;

/**
 * The web UI's timeline. `GET /api/feed`: the user's changes newest first, paged. `GET
 * /api/feed/events`: server-sent events, one `change` per change (its id is the seq, so a browser
 * that reconnects sends `Last-Event-ID` and misses nothing), from after `?after=` or the last
 * seen id, else from now. It reads the user's change horizon every 400 ms: a write on any server
 * process (several share one PostgreSQL) shows within a second, at the cost of one indexed read.
 */
export function feedRoutes(app: FastifyInstance, deps: ServerDeps): void {
  // Open streams end before the server closes (else its close would wait on them forever).
  const streams = new Set<() => void>();
  app.addHook("preClose", async () => {
    for (const stop of streams) stop();
  });
  route(app, api.recentChanges, async ({ query }, request) =>
    recentChanges({ store: deps.store.forUser(userOf(request).id) }, query),
  );
  route(app, api.feedEvents, async ({ query }, request, reply) => {
    const store = deps.store.forUser(userOf(request).id);
    const lastSeen = Number(request.headers["last-event-id"]);
    let cursor =
      Number.isInteger(lastSeen) && lastSeen >= 0 ? lastSeen : (query.after ?? (await store.changeHorizon()));
    const { send, end } = openEventStream(request, reply);
    let open = true;
    let wake: () => void = () => {};
    const stop = () => {
      open = false;
      wake();
    };
    streams.add(stop);
    request.raw.on("close", stop);
    send("ready", { after: cursor, heartbeatMs });
    let quietSince = Date.now();
    try {
      while (open) {
        const horizon = await store.changeHorizon();
        while (open && cursor < horizon) {
          const changes = await store.changesSince(cursor, 200, { upTo: horizon });
          for (const change of changes) send("change", change, String(change.seq));
          cursor = changes.length === 0 ? horizon : (changes.at(-1)?.seq ?? horizon);
          quietSince = Date.now();
        }
        if (Date.now() - quietSince >= heartbeatMs) {
          send("heartbeat", {});
          quietSince = Date.now();
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    } catch (error) {
      // The store went away (the server is closing) or failed: the browser reconnects with its last id.
      request.log.warn({ err: error }, "feed stream ended");
    } finally {
      streams.delete(stop);
      end();
    }
    return reply;
  });
}
