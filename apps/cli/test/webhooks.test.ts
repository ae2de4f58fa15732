import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addUser, cairn, cleanup, type ServerProcess, startServer, tempDir } from "./harness";
import { startReceiver, until, verifySignature } from "./webhook-receiver";

/**
 * Webhooks end to end (issue 7) against `cairn serve` on SQLite: deliveries
 * signed and verifiable, retried until the receiver takes them (exactly one
 * success), never slowing writes, surviving a restart; session summaries
 * firing `session.ended`; the delete guard's alert firing
 * `destruction.alert`; and the signed ingest endpoint refusing every forgery.
 */
/**
 * The status of a POST of `body` that stops sending after its first kilobyte and waits: a
 * server refuses an oversized body by its declared length (413) before reading it. Sending it
 * all races the server's close against the upload (fetch then reports EPIPE, not the answer).
 */
function statusOfUpload(url: string, body: string, signature: string, sourceId: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      url,
      {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "content-length": String(Buffer.byteLength(body)),
          "cairn-source": sourceId,
          "cairn-signature": signature,
        },
      },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
        outgoing.destroy();
      },
    );
    outgoing.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "ECONNRESET" && error.code !== "EPIPE") reject(error);
    });
    outgoing.write(body.slice(0, 1024));
  });
}

describe("webhooks", () => {
  const dir = tempDir("webhooks");
  // The receivers listen on this machine, which webhooks may reach only where an administrator allows it.
  const loopbackAllowed = { CAIRN_WEBHOOK_ALLOW_HOSTS: "127.0.0.1" };
  const fastJobs = {
    CAIRN_EVENT_SCAN_MS: "50",
    CAIRN_JOB_POLL_MS: "50",
    CAIRN_JOB_RETRY_BASE_MS: "100",
    ...loopbackAllowed,
  };
  let server: ServerProcess;
  let token = "";
  const where = ["--data", dir];
  const admin = async (args: string[]) => {
    const result = await cairn(dir, ["admin", ...args, "--user", "hooks", ...where, "--json"], {
      env: loopbackAllowed,
    });
    if (result.code !== 0) throw new Error(`admin ${args.join(" ")} failed: ${result.stderr}`);
    return result;
  };
  const api = async (path: string, init: { method?: string; body?: unknown } = {}) => {
    const response = await fetch(`${server.url}${path}`, {
      method: init.method ?? "GET",
      headers: {
        authorization: `Bearer ${token}`,
        ...(init.body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const remember = async (content: string, project = "hooks") => {
    const created = await api("/api/memories", { method: "POST", body: { content, project } });
    expect(created.status).toBe(201);
    return (created.body.memory as { id: string }).id;
  };

  beforeAll(async () => {
    token = (await addUser(dir, dir, "hooks", undefined, { create: true })).token;
    server = await startServer({ dataDir: dir, env: fastJobs });
  });
  afterAll(async () => {
    await server?.stop();
    cleanup(dir);
  });

  it("delivers signed events a receiver can verify, retries a failing receiver, and succeeds exactly once", async () => {
    // The receiver fails the first three attempts of every event, then takes it.
    const receiver = await startReceiver((_event, seen) => (seen <= 3 ? 503 : 200));
    try {
      const added = (await admin(["webhook", "add", receiver.url, "--events", "memory.created,task.changed"])).json<{
        webhook: { id: string; url: string; events: string[] };
        secret: string;
      }>();
      expect(added.webhook).toMatchObject({ url: receiver.url, events: ["memory.created", "task.changed"] });
      expect(added.secret).toMatch(/^whsec_/);
      const id = await remember("The staging database moved to eu-west-2");
      const [delivered] = await until(() => {
        const hits = receiver.delivered("memory.created");
        return hits.length > 0 ? hits : undefined;
      }, "the memory.created delivery");
      expect(delivered?.event).toMatchObject({ type: "memory.created", data: { id, content: expect.any(String) } });
      expect(
        verifySignature(added.secret, delivered?.headers["cairn-signature"] as string, delivered?.body ?? ""),
      ).toBe(true);
      expect(
        verifySignature("whsec_wrong", delivered?.headers["cairn-signature"] as string, delivered?.body ?? ""),
      ).toBe(false);
      expect(delivered?.headers["cairn-event"]).toBe("memory.created");
      const attempts = receiver.received.filter((each) => each.event.id === delivered?.event.id);
      expect(attempts.map((each) => each.status)).toEqual([503, 503, 503, 200]);
      // The same body on every attempt; the delivery log says delivered after 4 attempts.
      expect(new Set(attempts.map((each) => each.body)).size).toBe(1);
      const log = await until(async () => {
        const listed = (await admin(["webhook", "deliveries", "--webhook", added.webhook.id])).json<{
          deliveries: {
            eventType: string;
            status: string;
            attempts: number;
            lastStatus: number;
            lastDurationMs: number;
          }[];
        }>();
        const row = listed.deliveries.find((each) => each.eventType === "memory.created");
        return row?.status === "delivered" ? row : undefined;
      }, "the delivery log");
      expect(log).toMatchObject({ attempts: 4, lastStatus: 200 });
      expect(log.lastDurationMs).toBeGreaterThanOrEqual(0);
      // Nothing more arrives for it.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(receiver.delivered("memory.created")).toHaveLength(1);
      // A test event through the CLI, answered by the receiver (after its three refusals the fourth passes).
      await admin(["webhook", "remove", added.webhook.id]);
      expect((await admin(["webhook", "list"])).json<{ webhooks: unknown[] }>().webhooks).toEqual([]);
    } finally {
      await receiver.close();
    }
  });

  it("never slows writes with a receiver that does not answer, and delivers what was pending after a restart", async () => {
    const hanging = await startReceiver(() => "hang");
    let up = false;
    const flaky = await startReceiver(() => (up ? 200 : 500));
    try {
      await admin(["webhook", "add", hanging.url, "--events", "memory.created"]);
      const flakyHook = (await admin(["webhook", "add", flaky.url, "--events", "memory.created"])).json<{
        webhook: { id: string };
      }>();
      await remember("first while the receiver hangs");
      await until(() => hanging.hangingCount() > 0, "a hanging delivery");
      // Writes answer while deliveries hang.
      const written: string[] = [];
      for (let index = 0; index < 20; index++) written.push(await remember(`written during the hang ${index}`));
      expect(written).toHaveLength(20);
      expect(hanging.hangingCount()).toBeGreaterThan(0);
      await until(() => flaky.received.length > 0, "a failed attempt at the flaky receiver");
      // Restart with deliveries pending at the flaky receiver; it recovers while the server is down.
      await server.stop();
      up = true;
      server = await startServer({ dataDir: dir, env: fastJobs });
      await until(
        async () => {
          const listed = (
            await admin(["webhook", "deliveries", "--webhook", flakyHook.webhook.id, "--limit", "100"])
          ).json<{
            deliveries: { status: string }[];
          }>();
          return listed.deliveries.length === 21 && listed.deliveries.every((each) => each.status === "delivered");
        },
        "every pending delivery after the restart",
        30_000,
      );
      const ids = new Set(flaky.delivered().map((each) => each.event.id));
      expect(ids.size).toBe(21);
      expect(flaky.delivered()).toHaveLength(21);
      for (const hook of (await admin(["webhook", "list"])).json<{ webhooks: { id: string }[] }>().webhooks) {
        await admin(["webhook", "remove", hook.id]);
      }
    } finally {
      await hanging.close();
      await flaky.close();
    }
  });

  it("refuses webhooks to this machine and its networks unless an administrator allowed the host", async () => {
    const receiver = await startReceiver();
    try {
      // Without the allow-list (a plain `cairn admin webhook add`): refused, and nothing is stored.
      const refused = await cairn(dir, [
        "admin",
        "webhook",
        "add",
        receiver.url,
        "--events",
        "memory.created",
        "--user",
        "hooks",
        ...where,
        "--json",
      ]);
      expect(refused.code).toBe(2);
      expect(JSON.parse(refused.stderr).error).toMatchObject({
        code: "invalid_input",
        message: expect.stringMatching(/^url: refused: 127\.0\.0\.1 is an internal address/),
      });
      // Over HTTP on this server (which allows 127.0.0.1 only), every other internal spelling is refused.
      const port = new URL(receiver.url).port;
      for (const url of [
        `http://localhost:${port}/hook`,
        `http://[::1]:${port}/hook`,
        `http://[::ffff:127.0.0.1]:${port}/hook`,
        "http://167772161/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.8/hook",
        "http://192.168.1.1/hook",
      ]) {
        const added = await api("/api/webhooks", { method: "POST", body: { url, events: ["memory.created"] } });
        expect({ url, status: added.status }).toEqual({ url, status: 422 });
      }
      const listed = await api("/api/webhooks");
      expect((listed.body.webhooks as { url: string }[]).map((hook) => hook.url)).not.toContain(
        `http://localhost:${port}/hook`,
      );
      expect(receiver.received).toHaveLength(0);
    } finally {
      await receiver.close();
    }
  });

  it("summarises an ended session into a summary memory and fires session.ended with it", async () => {
    const receiver = await startReceiver();
    try {
      await admin(["webhook", "add", receiver.url, "--events", "session.ended"]);
      const started = await api("/api/sessions", { method: "POST", body: { project: "summaries", agent: "test" } });
      const session = (started.body.session as { id: string }).id;
      for (const content of [
        "Investigated the flaky checkout test in the payments service.",
        "The payments service retries card captures three times with backoff.",
        "Fixed the checkout test by waiting for the payments webhook.",
        "Lunch was good.",
      ]) {
        await api("/api/memories", { method: "POST", body: { content, project: "summaries", sessionId: session } });
      }
      expect((await api(`/api/sessions/${session}/end`, { method: "POST", body: {} })).status).toBe(200);
      const [ended] = await until(() => {
        const hits = receiver.delivered("session.ended");
        return hits.length > 0 ? hits : undefined;
      }, "session.ended");
      const data = ended?.event.data as { session: { id: string }; summary: { memoryId: string; content: string } };
      expect(data.session.id).toBe(session);
      const sentences = data.summary.content.split(/(?<=[.!?…])\s+/);
      expect(sentences.length).toBeGreaterThanOrEqual(2);
      expect(sentences.length).toBeLessThanOrEqual(3);
      expect(data.summary.content).toMatch(/payments/);
      const listed = await api(`/api/memories?kind=summary&session=${session}`);
      expect(listed.body.memories).toMatchObject([{ id: data.summary.memoryId, kind: "summary", sessionId: session }]);
    } finally {
      await receiver.close();
    }
  });

  it("fires destruction.alert when a burst of deletes raises an alert", async () => {
    const receiver = await startReceiver();
    try {
      await admin(["webhook", "add", receiver.url, "--events", "destruction.alert"]);
      const ids: string[] = [];
      for (let index = 0; index < 12; index++) ids.push(await remember(`disposable ${index}`, "doomed"));
      for (const id of ids) expect((await api(`/api/memories/${id}`, { method: "DELETE" })).status).toBe(200);
      const [alert] = await until(() => {
        const hits = receiver.delivered("destruction.alert");
        return hits.length > 0 ? hits : undefined;
      }, "destruction.alert");
      expect(alert?.event.data).toMatchObject({ alert: { severity: "warning", kind: "destruction" } });
    } finally {
      await receiver.close();
    }
  });

  it("ingests a signed memory, and refuses tampering, a wrong secret, a stale or replayed request, and an oversized body", async () => {
    const source = (await admin(["webhook", "source", "add", "n8n"])).json<{
      source: { id: string };
      secret: string;
    }>();
    const sign = (secret: string, body: string, t = Math.floor(Date.now() / 1000)) =>
      `t=${t},v1=${createHmac("sha256", secret).update(`${t}.${body}`).digest("hex")}`;
    const post = (body: string, signature: string, sourceId = source.source.id) =>
      fetch(`${server.url}/api/webhooks/ingest`, {
        method: "POST",
        headers: { "content-type": "application/json", "cairn-source": sourceId, "cairn-signature": signature },
        body,
      });
    const count = async () => ((await api("/api/memories?project=inbound")).body.total as number) ?? 0;

    const body = JSON.stringify({ type: "memory", project: "inbound", content: "Posted by the n8n flow" });
    const signature = sign(source.secret, body);
    const accepted = await post(body, signature);
    expect(accepted.status).toBe(201);
    expect(await count()).toBe(1);

    const refusals = [
      await post(body.replace("n8n", "evil"), signature),
      await post(body, sign("whsrc_wrong", body)),
      await post(body, sign(source.secret, body, Math.floor(Date.now() / 1000) - 600)),
      await post(body, signature),
      await post(body, sign(source.secret, body), "01ARZ3NDEKTSV4RRFFQ69G5FAV"),
    ];
    expect(refusals.map((response) => response.status)).toEqual([401, 401, 401, 401, 401]);
    const refusal = (await refusals[0]?.json()) as { error: { code: string; message: string } };
    expect(refusal.error.code).toBe("unauthenticated");
    expect(refusal.error.message).not.toMatch(/timestamp|replay|secret|source/i);
    const big = JSON.stringify({ type: "memory", project: "inbound", content: "x".repeat(2 * 1024 * 1024) });
    expect(
      await statusOfUpload(`${server.url}/api/webhooks/ingest`, big, sign(source.secret, big), source.source.id),
    ).toBe(413);
    const invalid = JSON.stringify({ type: "memory", project: "inbound" });
    expect((await post(invalid, sign(source.secret, invalid))).status).toBe(422);
    expect(await count()).toBe(1);
  });

  it("ships n8n workflows whose Code nodes verify a real delivery and post a real signed memory", async () => {
    const codeOf = (file: string, node: string) => {
      const workflow = JSON.parse(readFileSync(new URL(`../../../docs/n8n/${file}`, import.meta.url), "utf8")) as {
        nodes: { name: string; parameters: { jsCode?: string } }[];
      };
      const code = workflow.nodes.find((each) => each.name === node)?.parameters.jsCode;
      if (!code) throw new Error(`${file} has no Code node ${node}`);
      // n8n runs a Code node as an async function body with $input, $env and (when allowed) require.
      return (input: unknown, env: Record<string, string>) =>
        new Function("require", "$input", "$env", code)(createRequire(import.meta.url), input, env) as {
          json: Record<string, unknown>;
        }[];
    };
    const receiver = await startReceiver();
    try {
      const added = (await admin(["webhook", "add", receiver.url, "--events", "memory.created"])).json<{
        secret: string;
      }>();
      await remember("For the n8n workflow");
      const [delivery] = await until(() => {
        const hits = receiver.delivered("memory.created");
        return hits.length > 0 ? hits : undefined;
      }, "a delivery for n8n");
      const verify = codeOf("cairn-webhook-receiver.json", "Verify signature");
      const input = {
        first: () => ({
          json: { headers: delivery?.headers },
          binary: { data: { data: Buffer.from(delivery?.body ?? "").toString("base64") } },
        }),
      };
      const [accepted] = verify(input, { CAIRN_WEBHOOK_SECRET: added.secret });
      expect(accepted?.json).toMatchObject({ valid: true, event: { type: "memory.created" } });
      const [refused] = verify(input, { CAIRN_WEBHOOK_SECRET: "whsec_not_it" });
      expect(refused?.json.valid).toBe(false);
    } finally {
      await receiver.close();
    }
    const source = (await admin(["webhook", "source", "add", "n8n-flow"])).json<{
      source: { id: string };
      secret: string;
    }>();
    const [signed] = codeOf("cairn-ingest.json", "Sign the body")(
      {},
      { CAIRN_SOURCE_ID: source.source.id, CAIRN_SOURCE_SECRET: source.secret },
    );
    const posted = await fetch(`${server.url}/api/webhooks/ingest`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "cairn-source": String(signed?.json.source),
        "cairn-signature": String(signed?.json.signature),
      },
      body: String(signed?.json.body),
    });
    expect(posted.status).toBe(201);
    const inbox = await api("/api/memories?project=inbox");
    expect(inbox.body.memories).toMatchObject([{ content: "Posted from n8n: the weekly report is ready." }]);
  });
});
