import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type RunningServer, startServer } from "@cairn/server/start-server";
import { addDeadJob } from "@cairn/store/testing/dead-job";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The web UI in a real browser: Debian's chromium-headless-shell (`.ci/run` installs it) driven by
 * playwright-core, against `cairn serve`'s server on a real port. Screenshots go to a temporary
 * folder, or to docs/screenshots with CAIRN_SCREENSHOTS=docs (how the ones in docs/ were taken).
 */
const browserPath = process.env.CAIRN_CHROMIUM ?? "/usr/bin/chromium-headless-shell";
const webRoot = resolve("apps/cli/dist/web");
const shots =
  process.env.CAIRN_SCREENSHOTS === "docs" ? resolve("docs/screenshots") : mkdtempSync(join(tmpdir(), "cairn-shots-"));
const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

describe("the web UI in a real browser", () => {
  let dir: string;
  let server: RunningServer;
  let token: string;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "cairn-web-"));
    mkdirSync(shots, { recursive: true });
    server = await startServer({ dataDir: dir, port: 0, logLevel: "silent" }, { webRoot });
    token = server.adminToken ?? "";
    browser = await chromium.launch({
      executablePath: browserPath,
      // What this machine needs: no sandbox as root, and none of Chromium's calls home (the network is closed).
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
      ],
    });
    // bypassCSP only so the accessibility checker can be injected; the page's own policy is checked by its header.
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1100, height: 760 } });
    page = await context.newPage();
    // A step that waits longer than this has failed: say which, before the test's own timeout.
    page.setDefaultTimeout(10_000);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  async function accessibilityViolations(): Promise<string[]> {
    await page.addScriptTag({ path: axePath });
    return page.evaluate(async () => {
      const result = await (
        window as unknown as { axe: { run: () => Promise<{ violations: { id: string; nodes: unknown[] }[] }> } }
      ).axe.run();
      return result.violations.map((violation) => `${violation.id} (${violation.nodes.length})`);
    });
  }

  it("signs in with the token once, keeping only an HttpOnly session cookie", async () => {
    const response = await page.goto(`${server.url}/`);
    expect(response?.headers()["content-security-policy"]).toContain("script-src 'self'");
    await page.getByLabel("API token").waitFor();
    expect(await accessibilityViolations()).toEqual([]);
    await page.screenshot({ path: join(shots, "login.png") });

    await page.getByLabel("API token").fill("cairn_wrong-token");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").waitFor();

    await page.getByLabel("API token").fill(token);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Timeline" }).waitFor();
    const cookies = await page.context().cookies();
    expect(cookies).toEqual([expect.objectContaining({ name: "cairn_session", httpOnly: true, sameSite: "Strict" })]);
    expect(cookies[0]?.value).not.toBe(token);
    const visible = await page.evaluate(() => ({
      cookie: document.cookie,
      stored: JSON.stringify(localStorage) + JSON.stringify(sessionStorage),
    }));
    expect(visible).toEqual({ cookie: "", stored: "{}{}" });
  });

  it("shows new rows on the timeline live, with the connection's state", async () => {
    await page.getByRole("status").filter({ hasText: "Live" }).waitFor();
    await api("POST", "/api/memories", { project: "web", content: "The heron nests by the north lake" });
    await api("POST", "/api/threads/sync", {
      project: "web",
      thread: "field-notes",
      entries: [
        {
          id: "01JWEBENTRY000000000000001",
          content: "Counted 14 herons at dawn <script>alert(1)</script>",
          author: "ana",
        },
      ],
    });
    await page.getByText("The heron nests by the north lake").waitFor();
    // Text stays text: the recorded <script> is shown, never run.
    await page.getByText("Counted 14 herons at dawn <script>alert(1)</script>").waitFor();
    expect(await accessibilityViolations()).toEqual([]);
    await page.screenshot({ path: join(shots, "timeline.png") });
    await page.emulateMedia({ colorScheme: "dark" });
    // Dark colours pass the same check (contrast above all).
    expect(await accessibilityViolations()).toEqual([]);
    await page.screenshot({ path: join(shots, "timeline-dark.png") });
    await page.emulateMedia({ colorScheme: "light" });
  });

  it("keeps the timeline live across a restart of the server: it reconnects and misses nothing", async () => {
    const port = Number(new URL(server.url).port);
    await server.close();
    await page.getByRole("status").filter({ hasText: "Reconnecting…" }).waitFor();
    server = await startServer({ dataDir: dir, port, logLevel: "silent" }, { webRoot });
    // The browser retries on its own (every few seconds) and sends the last change it saw.
    await page.getByRole("status").filter({ hasText: "Live" }).waitFor({ timeout: 30_000 });
    await api("POST", "/api/memories", { project: "web", content: "Written after the restart" });
    await page.getByText("Written after the restart").waitFor();
    expect(await page.getByText("The heron nests by the north lake").count()).toBe(1);
  });

  it("searches with highlighted word forms and moves through the results by keyboard", async () => {
    await page.getByRole("link", { name: "Search", exact: true }).click();
    expect(new URL(page.url()).pathname).toBe("/search");
    await page.getByLabel("Words to find").fill("nesting heron");
    await page.getByLabel("Words to find").press("Enter");
    const first = page.getByRole("list", { name: "Results" }).getByRole("listitem").first();
    await first.waitFor();
    expect(await first.locator("mark").allTextContents()).toEqual(expect.arrayContaining(["heron", "nests"]));
    await page.getByLabel("Words to find").press("ArrowDown");
    expect(await first.getByRole("link").evaluate((element) => element === document.activeElement)).toBe(true);
    // Enter opens the hit where it was said: the memory's own page, with its history.
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Memory", exact: true }).waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/memories\/[0-9A-Z]{26}$/);
    await page.goBack();
    await page.getByRole("heading", { name: "Search" }).waitFor();
    expect(await accessibilityViolations()).toEqual([]);
    await page.screenshot({ path: join(shots, "search.png") });
  });

  it("shows a thread's verbatim entries, each with a permalink in the form of its citation", async () => {
    await page.getByRole("link", { name: "Threads", exact: true }).click();
    await page.getByRole("link", { name: "field-notes" }).waitFor();
    expect(await accessibilityViolations()).toEqual([]);
    await page.getByRole("link", { name: "field-notes" }).click();
    const entry = page.getByRole("list", { name: "Entries, oldest first" }).getByRole("listitem").first();
    await entry.waitFor();
    expect(await entry.locator("code.ref").textContent()).toBe("thread:field-notes#01JWEBENTRY000000000000001");
    expect(await entry.locator(".text").textContent()).toBe("Counted 14 herons at dawn <script>alert(1)</script>");
    expect(await accessibilityViolations()).toEqual([]);
    // The permalink opens the thread at that entry.
    await page.goto(`${server.url}/threads/web/field-notes#01JWEBENTRY000000000000001`);
    await page.locator("li.target").filter({ hasText: "Counted 14 herons" }).waitFor();
    await page.screenshot({ path: join(shots, "thread.png") });

    // A permalink deep in a long thread opens the page around its entry, and pages both ways from there.
    const lines = Array.from({ length: 250 }, (_, index) => ({
      id: `01JWEBLONG${String(index).padStart(16, "0")}`,
      content: `Long thread line ${index}`,
      author: "ana",
    }));
    expect(
      (await api("POST", "/api/threads/sync", { project: "web", thread: "long-log", entries: lines })).status,
    ).toBe(200);
    await page.goto(`${server.url}/threads/web/long-log#${lines[240]?.id}`);
    await page.locator("li.target").filter({ hasText: "Long thread line 240" }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain("Long thread line 240");
    await page.getByRole("button", { name: "Earlier entries (140)" }).click();
    await page.getByText("Long thread line 0", { exact: true }).waitFor();
    expect(await page.getByRole("button", { name: /^Earlier entries/ }).count()).toBe(0);
    // Reading earlier entries does not throw the reader back to the permalink's entry.
    expect(await page.evaluate(() => document.activeElement?.id ?? "")).not.toBe(lines[240]?.id);
    await page.getByRole("link", { name: "Ask", exact: true }).click();
  });

  it("asks the oracle: the answer streams in, its citation chip opens the cited row, and abstention says so", async () => {
    await page.getByRole("link", { name: "Ask", exact: true }).click();
    await page.getByLabel("Question").fill("Where does the heron nest?");
    await page.getByRole("button", { name: "Ask" }).click();
    const answer = page.locator(".answer");
    await answer.getByRole("button", { name: /^Source 1/ }).waitFor();
    expect(await answer.textContent()).toContain("north lake");
    await answer.getByRole("button", { name: /^Source 1/ }).click();
    const opened = page.getByRole("complementary", { name: "Cited row" });
    await opened.waitFor();
    expect(await opened.textContent()).toContain("The heron nests by the north lake");
    expect(await accessibilityViolations()).toEqual([]);
    await page.screenshot({ path: join(shots, "ask.png") });

    await page.getByLabel("Question").fill("What is the office wifi password?");
    await page.getByRole("button", { name: "Ask" }).click();
    await page.locator(".abstained").waitFor();
    expect(await page.locator(".answer").count()).toBe(0);
  });

  it("adds a task in plain words, groups tasks by when they are due, completes and deletes them", async () => {
    await page.getByRole("link", { name: "Tasks", exact: true }).click();
    await page.getByLabel("New task").fill("pay rent friday");
    await page.getByRole("button", { name: "Add" }).click();
    await page.getByRole("status").filter({ hasText: "Added “pay rent”, due" }).waitFor();
    const stored = await api("GET", "/api/tasks?status=open");
    const rent = (stored.body.tasks as { title: string; dueAt: string | null }[]).find(
      (task) => task.title === "pay rent",
    );
    expect(new Date(rent?.dueAt ?? "").getUTCDay()).toBe(5);
    // On a Friday, "friday" may be today: the group is named for the day the server read.
    const dueToday = (rent?.dueAt ?? "").slice(0, 10) === new Date().toISOString().slice(0, 10);
    const group = page.getByRole("region", { name: dueToday ? "Today" : /^Due Friday/ });
    await group.getByText("pay rent").waitFor();

    // A title the server would refuse is named before anything is sent, in the server's words
    // (the form's schemas come in their own chunk, loaded by this first check).
    const tasksBefore = await api("GET", "/api/tasks?status=all&limit=100");
    let posted = 0;
    page.on("request", (request) => {
      if (request.method() === "POST" && request.url().endsWith("/api/tasks")) posted += 1;
    });
    await page.getByLabel("New task").fill("x".repeat(201));
    await page.getByRole("button", { name: "Add" }).click();
    await page.getByRole("alert").filter({ hasText: "title:" }).waitFor();
    expect(posted).toBe(0);
    expect((await api("GET", "/api/tasks?status=all&limit=100")).body.total).toBe(tasksBefore.body.total);

    await page.getByLabel("New task").fill("water the plants");
    await page.getByRole("button", { name: "Add" }).click();
    await page.getByRole("region", { name: "No date" }).getByText("water the plants").waitFor();
    expect(await accessibilityViolations()).toEqual([]);
    await page.screenshot({ path: join(shots, "tasks.png") });

    // Edited in place: a due date in plain words, and a priority.
    await page.getByRole("button", { name: "Edit water the plants" }).click();
    const editor = page.getByRole("form", { name: "Edit water the plants" });
    await editor.getByLabel("Due").fill("2030-01-15");
    await editor.getByLabel("Priority").selectOption("high");
    await editor.getByRole("button", { name: "Save" }).click();
    await page.getByRole("status").filter({ hasText: "Saved “water the plants”" }).waitFor();
    const edited = (await api("GET", "/api/tasks?status=open")).body.tasks as {
      title: string;
      dueAt: string | null;
      priority: string;
    }[];
    expect(edited.find((task) => task.title === "water the plants")).toMatchObject({
      priority: "high",
      dueAt: expect.stringMatching(/^2030-01-15/),
    });

    // click, not check(): once done, the row moves into the folded "Done lately" list, and check()
    // would wait for the hidden checkbox there to show its state.
    await page.getByRole("checkbox", { name: "pay rent" }).click();
    await page.getByRole("status").filter({ hasText: "Done: pay rent" }).waitFor();
    await page.getByRole("button", { name: "Delete water the plants" }).click();
    await page.getByRole("status").filter({ hasText: "in the trash" }).waitFor();
    const after = await api("GET", "/api/tasks?status=all");
    expect((after.body.tasks as { title: string; status: string }[]).map((task) => [task.title, task.status])).toEqual([
      ["pay rent", "done"],
    ]);
  });

  it("remembers, filters, edits, forgets and restores memories", async () => {
    await page.getByRole("link", { name: "Memories", exact: true }).click();
    await page.getByLabel("New memory").fill("Deploys happen on Tuesdays");
    await page.getByLabel("Project", { exact: true }).fill("ops");
    await page.getByLabel("Kind", { exact: true }).selectOption("decision");
    await page.getByRole("button", { name: "Remember" }).click();
    const list = page.getByRole("list", { name: "Memories" });
    await list.getByText("Deploys happen on Tuesdays").waitFor();

    await page.getByLabel("by kind", { exact: true }).selectOption("decision");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.getByText("1 memories").waitFor();
    expect(await list.getByRole("listitem").count()).toBe(1);
    expect(await accessibilityViolations()).toEqual([]);
    await page.screenshot({ path: join(shots, "memories.png") });

    await page.getByRole("button", { name: "Edit Deploys happen on Tuesdays" }).click();
    await page.getByLabel("Edit the memory").fill("Deploys happen on Wednesdays");
    await page.getByRole("button", { name: "Save" }).click();
    await list.getByText("Deploys happen on Wednesdays").waitFor();

    await page.getByRole("button", { name: "Forget Deploys happen on Wednesdays" }).click();
    await page.getByText("1 memories").waitFor({ state: "detached" });
    expect(await list.getByRole("listitem").count()).toBe(0);
    await page.getByRole("button", { name: "Restore it" }).click();
    await list.getByText("Deploys happen on Wednesdays").waitFor();
    const stored = await api("GET", "/api/memories?project=ops");
    expect(
      (stored.body.memories as { content: string; kind: string }[]).map((memory) => [memory.content, memory.kind]),
    ).toEqual([["Deploys happen on Wednesdays", "decision"]]);
  });

  it("chats: the turn streams with its tool cards, and a delete waits for Yes", async () => {
    await page.getByRole("link", { name: "Chat", exact: true }).click();
    await page.getByLabel("Message", { exact: true }).fill("add buy bread tomorrow");
    await page.getByRole("button", { name: "Send" }).click();
    const turns = page.getByRole("list", { name: "Messages" });
    await turns.locator("details.tool summary").filter({ hasText: "add_task" }).waitFor();
    await turns.locator(".agent").filter({ hasText: /bread/i }).waitFor();
    expect(JSON.stringify((await api("GET", "/api/tasks?status=open")).body)).toContain("buy bread");

    await page.getByLabel("Message", { exact: true }).fill("delete buy bread");
    await page.getByRole("button", { name: "Send" }).click();
    await page.getByRole("group", { name: "Confirm?" }).waitFor();
    expect(JSON.stringify((await api("GET", "/api/tasks?status=open")).body)).toContain("buy bread");
    expect(await accessibilityViolations()).toEqual([]);
    await page.screenshot({ path: join(shots, "chat.png") });
    await page.getByRole("button", { name: "Yes" }).click();
    await page.getByRole("group", { name: "Confirm?" }).waitFor({ state: "detached" });
    await turns.getByRole("listitem").nth(2).locator(".agent").waitFor();
    expect(JSON.stringify((await api("GET", "/api/tasks?status=open")).body)).not.toContain("buy bread");
    // The conversation is kept: it is listed, and opens again with its turns.
    await page.getByRole("navigation", { name: "Conversations" }).getByRole("link").first().click();
    await turns.getByText("delete buy bread").waitFor();
  });

  it("shows each device as the server sees it, with what it refused, and the digest", async () => {
    const pushed = await api("POST", "/api/sync/push", {
      pushVersion: 1,
      deviceId: "laptop-7",
      scope: { userId: ((await api("GET", "/api/me")).body.user as { id: string }).id },
      mutations: [{ seq: 1, op: "no.such.op", args: {}, clientTime: new Date().toISOString() }],
    });
    expect(pushed.status).toBe(200);
    await page.goto(`${server.url}/`);
    await page.getByRole("link", { name: "Sync", exact: true }).click();
    const row = page.getByRole("row").filter({ hasText: "laptop-7" });
    await row.waitFor();
    expect(await row.getByRole("cell").nth(2).textContent()).toBe("1");
    expect(await row.getByRole("cell").nth(3).textContent()).toContain("1 · last:");
    await page.getByRole("button", { name: "Compute the digest" }).click();
    const memories = page.getByRole("row").filter({ hasText: /^memory/ });
    await memories.waitFor();
    const digest = (await api("GET", "/api/sync/digest")).body.digest as Record<string, { count: number }>;
    expect(await memories.getByRole("cell").nth(1).textContent()).toBe(String(digest.memory?.count));
    expect(await accessibilityViolations()).toEqual([]);
    await page.screenshot({ path: join(shots, "sync.png") });
  });

  it("adds a webhook showing its secret once, refuses an internal address, and lists deliveries", async () => {
    await page.goto(`${server.url}/`);
    await page.getByRole("link", { name: "Webhooks", exact: true }).click();
    // Internal addresses are refused by default (issue 17): the page says why.
    await page.getByLabel("Endpoint URL").fill(`${server.url}/hook`);
    await page.getByRole("checkbox", { name: "memory.created" }).check();
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await page.getByRole("alert").waitFor();
    expect(await page.getByRole("alert").textContent()).toMatch(/internal|private|loopback/i);

    await page.getByLabel("Endpoint URL").fill("https://hooks.example.com/cairn");
    await page.getByRole("checkbox", { name: "memory.created" }).check();
    await page.getByRole("button", { name: "Add", exact: true }).click();
    const shown = page.getByRole("status").filter({ hasText: "Signing secret for https://hooks.example.com/cairn" });
    await shown.waitFor();
    const listed = await api("GET", "/api/webhooks");
    expect(JSON.stringify(listed.body)).toContain("https://hooks.example.com/cairn");
    // The secret is shown once: it is in no listing.
    const secretShown = (await shown.locator("code").textContent()) ?? "";
    expect(secretShown.length).toBeGreaterThan(10);
    expect(JSON.stringify(listed.body)).not.toContain(secretShown);
    expect(await accessibilityViolations()).toEqual([]);
    // The secret is masked in the picture: screenshots are committed.
    await page.screenshot({ path: join(shots, "webhooks.png"), mask: [shown.locator("code")] });
    await page.getByRole("button", { name: "Remove https://hooks.example.com/cairn" }).click();
    await page
      .getByRole("list", { name: "Endpoints" })
      .getByText("https://hooks.example.com/cairn")
      .waitFor({ state: "detached" });
  });

  it("refuses a form posted from another port of the same host, though the browser sends the cookie", async () => {
    const host = new URL(server.url);
    const forger: Server = createServer((_request, response) => {
      response.setHeader("content-type", "text/html");
      response.end(`<form id="f" method="POST" action="${server.url}/api/memories">
        <input name="project" value="web"><input name="content" value="forged by another page">
        </form><script>document.getElementById("f").submit()</script>`);
    });
    await new Promise<void>((done) => forger.listen(0, host.hostname, () => done()));
    const port = (forger.address() as { port: number }).port;
    try {
      const answer = page.waitForResponse((response) => response.url().endsWith("/api/memories"));
      await page.goto(`http://${host.hostname}:${port}/`);
      const refused = await answer;
      expect(refused.status()).toBe(403);
      expect(refused.request().headers().cookie ?? (await refused.request().allHeaders()).cookie).toContain(
        "cairn_session=",
      );
    } finally {
      forger.close();
    }
    const memories = await api("GET", "/api/memories?project=web");
    expect(JSON.stringify(memories.body)).not.toContain("forged by another page");
  });

  it("shows a mass-deletion alert with its ids, restores the whole burst, and keeps the trash by days left", async () => {
    const ids: string[] = [];
    for (let index = 0; index < 12; index++) {
      const made = await api("POST", "/api/memories", { project: "burst", content: `burst memory ${index}` });
      ids.push((made.body.memory as { id: string }).id);
    }
    for (const id of ids) expect((await api("DELETE", `/api/memories/${id}`)).status).toBe(200);
    await page.goto(`${server.url}/`);
    await page.getByRole("link", { name: "Safety", exact: true }).click();
    const alert = page.getByRole("list", { name: "Open alerts" }).getByRole("listitem").first();
    await alert.waitFor();
    // The burst's 12 (and any delete an earlier test made in the same minute).
    await alert.getByText(/^The \d+ deleted ids$/).click();
    const shown = await alert.locator(".ids li").allTextContents();
    expect(shown).toEqual(expect.arrayContaining(ids));
    expect(await alert.textContent()).toContain(`${shown.length} deletes`);
    await page.getByRole("table").getByText("burst memory 3").waitFor();
    expect(
      await page.getByRole("row").filter({ hasText: "burst memory 3" }).getByRole("cell").nth(2).textContent(),
    ).toBe("30");
    expect(await accessibilityViolations()).toEqual([]);
    await page.screenshot({ path: join(shots, "safety.png"), fullPage: true });

    await alert.getByRole("button", { name: `Restore all ${shown.length}` }).click();
    // Rows an earlier test restored already are skipped; the burst's own all come back.
    await page
      .getByRole("status")
      .filter({ hasText: new RegExp(`Restored \\d+ of the ${shown.length}`) })
      .waitFor();
    const back = await api("GET", "/api/memories?project=burst&limit=50");
    expect((back.body.memories as unknown[]).length).toBe(12);

    await page.getByRole("button", { name: "Acknowledge" }).click();
    await page.getByText("No open alert").waitFor();

    // Two devices edit one memory from the same version: the server keeps one, and the log shows the other.
    const target = ids[0] as string;
    const me = ((await api("GET", "/api/me")).body.user as { id: string }).id;
    const current = (await api("GET", `/api/memories/${target}`)).body.memory as Record<string, unknown>;
    const edit = (device: string, content: string, version: string) =>
      api("POST", "/api/sync/push", {
        pushVersion: 1,
        deviceId: device,
        scope: { userId: me },
        mutations: [
          {
            seq: 1,
            op: "memory.put",
            args: { ...current, content, version, baseVersion: current.version },
            clientTime: new Date().toISOString(),
          },
        ],
      });
    await edit("phone", "burst memory 0, edited on the phone", "9999999999998.0000.phone");
    await edit("tablet", "burst memory 0, edited on the tablet", "9999999999999.0000.tablet");
    await page.getByLabel("Action").selectOption("conflict");
    await page.getByRole("button", { name: "Show" }).click();
    const log = page.getByRole("list", { name: "Audit log, newest first" });
    // Waits for the filtered list (the unfiltered one is on the page until it comes).
    await log.getByRole("listitem").filter({ hasText: "lost “burst memory 0, edited on the phone”" }).waitFor();
    expect(new Set(await log.locator(".kind").allTextContents())).toEqual(new Set(["conflict"]));
    const open = await api("GET", "/api/alerts?open=true");
    expect(open.body.alerts).toEqual([]);

    // The memory's own page: the version kept, the one that lost, and what each edit replaced.
    await page.goto(`${server.url}/memories/${target}`);
    const history = page.getByRole("list", { name: "History, newest first" });
    await history.getByText("burst memory 0, edited on the phone").first().waitFor();
    expect(await page.getByRole("article", { name: "The memory as it stands" }).textContent()).toContain(
      "edited on the tablet",
    );
    const conflict = history.getByRole("listitem").filter({ hasText: "Conflict from device tablet" });
    expect(await conflict.locator(".kept .kind").allTextContents()).toEqual(["kept", "lost"]);
    expect(await history.getByRole("listitem").filter({ hasText: "Restored" }).count()).toBeGreaterThan(0);
    expect(await accessibilityViolations()).toEqual([]);
    await page.screenshot({ path: join(shots, "memory-history.png"), fullPage: true });
    // The losing wording made the memory's new version again, by one click.
    await conflict.getByRole("button", { name: "Use this wording again" }).click();
    await page.getByRole("status").filter({ hasText: "new version" }).waitFor();
    const now = (await api("GET", `/api/memories/${target}`)).body.memory as { content: string };
    expect(now.content).toBe("burst memory 0, edited on the phone");
  });

  it("shows an administrator the server's dead jobs, and queues one again", async () => {
    await addDeadJob(server.store, { id: "job-web-dead", kind: "export.archive", error: "the archive disk was full" });
    await page.getByRole("link", { name: "Jobs", exact: true }).click();
    const row = page.getByRole("list", { name: "Jobs, latest change first" }).getByRole("listitem").first();
    await row.getByText("the archive disk was full").waitFor();
    expect(await page.getByText(/1 dead/).count()).toBeGreaterThan(0);
    expect(await accessibilityViolations()).toEqual([]);
    await page.screenshot({ path: join(shots, "jobs.png") });
    await row.getByRole("button", { name: "Retry job job-web-dead" }).click();
    await page.getByRole("status").filter({ hasText: "queued again" }).waitFor();
    expect((await server.store.system.getJob("job-web-dead"))?.status).toBe("queued");
  });

  it("signs out: the session ends on the server and the page returns to the login", async () => {
    await page.goto(`${server.url}/`);
    const [cookie] = await page.context().cookies();
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByLabel("API token").waitFor();
    const reused = await fetch(`${server.url}/api/me`, { headers: { cookie: `cairn_session=${cookie?.value}` } });
    expect(reused.status).toBe(401);
  });
});
