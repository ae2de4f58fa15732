import { once } from "node:events";
import { readdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { median } from "./corpus";
import type { ServerProcess } from "./server-process";

/**
 * The web UI's figures (issue 15), in Debian's headless Chromium against `cairn serve`: the
 * JavaScript the first page loads, how soon it is usable (cold and warm), moves between pages,
 * how soon a new row shows on an open timeline, and the timeline and search on a big account.
 * Baselines from the same run: a bare page served by a bare node:http handler that fetches JSON
 * and renders a list (the floor of any such page), and the API's own answer times.
 */
const browserPath = process.env.CAIRN_CHROMIUM ?? "/usr/bin/chromium-headless-shell";

/**
 * The code that runs in the page is written as JavaScript text: this file is compiled for Node,
 * without the DOM's types. In the page, before its scripts: `__mark(name, test)` records `performance.now()` when `test()`
 * first holds after a DOM change, and every row of the timeline is stamped with `Date.now()` when
 * it first appears (`__seen`), so nothing is measured by polling.
 */
const observer = `
window.__marks = {}; window.__tests = {}; window.__seen = {};
window.__mark = (name, test) => { window.__tests[name] = test; };
const check = () => {
  for (const [name, test] of Object.entries(window.__tests)) {
    if (window.__marks[name] === undefined && test()) window.__marks[name] = performance.now();
  }
  for (const row of document.querySelectorAll("ol.timeline > li .text")) {
    const text = row.textContent;
    if (window.__seen[text] === undefined) window.__seen[text] = Date.now();
  }
};
new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
window.__mark("usable", () => document.querySelector("ol.timeline > li") !== null);
`;

function percentile(values: number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] ?? Number.NaN;
}

/** The floor: a page and a script from a bare handler, fetching 50 rows of JSON and listing them. */
async function barePage(): Promise<{ url: string; server: Server }> {
  const rows = JSON.stringify(Array.from({ length: 50 }, (_, index) => `row ${index}`));
  const script =
    'const rows = await (await fetch("/data")).json(); const list = document.createElement("ol");' +
    'list.className = "timeline"; for (const row of rows) { const item = document.createElement("li");' +
    'const text = document.createElement("p"); text.className = "text"; text.textContent = row;' +
    "item.append(text); list.append(item); } document.body.append(list);";
  const server = createServer((request, response) => {
    if (request.url === "/app.js") {
      response.writeHead(200, { "content-type": "text/javascript", "cache-control": "max-age=31536000, immutable" });
      response.end(script);
    } else if (request.url === "/data") {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(rows);
    } else {
      response.writeHead(200, { "content-type": "text/html", "cache-control": "no-cache" });
      response.end(
        '<!doctype html><html><head><script type="module" src="/app.js"></script></head><body></body></html>',
      );
    }
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

/** A page of `context` with the observer in it (contexts bypass the page's CSP: the probes are evaluated text). */
async function observedPage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.addInitScript(observer);
  return page;
}

/** Loads `url` and answers when its timeline rows showed, after the navigation began (cold in a fresh context). */
async function usableAfter(page: Page, url: string): Promise<number> {
  await page.goto(url);
  await page.waitForFunction("window.__marks.usable !== undefined");
  return (await page.evaluate("window.__marks.usable")) as number;
}

async function coldAndWarm(browser: Browser, url: string, cookie: string | null, runs: number) {
  const cold: number[] = [];
  const warm: number[] = [];
  for (let run = 0; run < runs; run++) {
    const context = await browser.newContext({ bypassCSP: true });
    if (cookie) await context.addCookies([{ name: "cairn_session", value: cookie, url }]);
    const page = await observedPage(context);
    cold.push(await usableAfter(page, url));
    warm.push(await usableAfter(page, url));
    await context.close();
  }
  return { cold: median(cold), warm: median(warm), coldP95: percentile(cold, 0.95), warmP95: percentile(warm, 0.95) };
}

/** Clicks a link of the top bar and times, in the page, until the new page's heading (and its rows) show. */
async function move(page: Page, link: string, rows: string | null): Promise<{ heading: number; rows: number | null }> {
  const script = `new Promise((resolve) => {
    const link = ${JSON.stringify(link)}, rows = ${JSON.stringify(rows)};
    const anchor = [...document.querySelectorAll("nav a")].find((a) => a.textContent === link);
    const started = performance.now();
    let heading = null;
    const done = () => {
      if (heading === null && document.querySelector("main h1")?.id === link.toLowerCase() + "-title") heading = performance.now() - started;
      if (heading !== null && (rows === null || document.querySelector(rows) !== null)) {
        watch.disconnect();
        resolve({ heading, rows: rows === null ? null : performance.now() - started });
      }
    };
    const watch = new MutationObserver(done);
    watch.observe(document, { subtree: true, childList: true, characterData: true });
    // A page whose rows never come (an empty list) counts its heading only, after 5 s.
    setTimeout(() => { watch.disconnect(); resolve({ heading: heading ?? NaN, rows: NaN }); }, 5000);
    anchor.click();
    done();
  })`;
  return (await page.evaluate(script)) as { heading: number; rows: number | null };
}

/** Submits the search form and times, in the page, until the results are in (the list's aria-busy ends). */
async function searchInPage(page: Page, words: string): Promise<number> {
  const script = `new Promise((resolve) => {
    const box = document.querySelector("#q");
    const list = document.querySelector("ol.results");
    box.value = ${JSON.stringify(words)};
    let busy = false;
    const started = performance.now();
    const watch = new MutationObserver(() => {
      if (list.getAttribute("aria-busy") === "true") busy = true;
      else if (busy && list.querySelector("li")) {
        watch.disconnect();
        resolve(performance.now() - started);
      }
    });
    watch.observe(list, { attributes: true, childList: true, subtree: true });
    box.form.requestSubmit();
  })`;
  return (await page.evaluate(script)) as number;
}

/** Clicks "Older" on the timeline and times, in the page, until the older rows are on it. */
const olderScript = `new Promise((resolve) => {
  const list = document.querySelector("ol.timeline");
  const before = list.children.length;
  const started = performance.now();
  const watch = new MutationObserver(() => {
    if (list.children.length > before) { watch.disconnect(); resolve(performance.now() - started); }
  });
  watch.observe(list, { childList: true });
  [...document.querySelectorAll("button")].find((button) => button.textContent === "Older").click();
})`;

async function apiTime(server: ServerProcess, path: string, runs: number): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${server.token}` } });
    await response.text();
    times.push(performance.now() - started);
  }
  return median(times);
}

/** The gzipped size of each script a page loaded, as served. */
function scriptsOf(page: Page): Map<string, number> {
  const sizes = new Map<string, number>();
  page.on("response", async (response) => {
    if (!response.url().endsWith(".js")) return;
    sizes.set(new URL(response.url()).pathname, gzipSync(await response.body(), { level: 9 }).length);
  });
  return sizes;
}

export async function webBench(
  server: ServerProcess,
  options: { webRoot: string; words: { rare: string; common: string } },
) {
  const browser = await chromium.launch({
    executablePath: browserPath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
  });
  const bare = await barePage();
  try {
    const login = await fetch(`${server.url}/api/session`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: server.url, "sec-fetch-site": "same-origin" },
      body: JSON.stringify({ token: server.token }),
    });
    const cookie = /cairn_session=([^;]+)/.exec(login.headers.get("set-cookie") ?? "")?.[1] ?? "";

    // What the first page loads, against every script the build made (the rest load later, when needed).
    const sizing = await browser.newContext({ bypassCSP: true });
    await sizing.addCookies([{ name: "cairn_session", value: cookie, url: server.url }]);
    const sizingPage = await observedPage(sizing);
    const loaded = scriptsOf(sizingPage);
    await usableAfter(sizingPage, `${server.url}/`);
    const firstPageGz = [...loaded.values()].reduce((sum, size) => sum + size, 0);
    const allGz = readdirSync(join(options.webRoot, "assets"))
      .filter((file) => file.endsWith(".js"))
      .reduce(
        (sum, file) => sum + gzipSync(readFileSync(join(options.webRoot, "assets", file)), { level: 9 }).length,
        0,
      );
    await sizing.close();

    const ours = await coldAndWarm(browser, `${server.url}/`, cookie, 15);
    const floor = await coldAndWarm(browser, bare.url, null, 15);

    // The timeline, loaded.
    const context = await browser.newContext({ bypassCSP: true });
    await context.addCookies([{ name: "cairn_session", value: cookie, url: server.url }]);
    const page = await observedPage(context);
    await usableAfter(page, `${server.url}/`);
    // Older rows of the timeline on the big account: one click, until they are on the page.
    // Once the timeline is live (its newest page read), and before the tour below leaves the server busy.
    await page.getByRole("status").filter({ hasText: "Live" }).waitFor();
    const older = (await page.evaluate(olderScript)) as number;
    const newest = (await (
      await fetch(`${server.url}/api/feed?limit=50`, { headers: { authorization: `Bearer ${server.token}` } })
    ).json()) as { next: number };
    const olderApi = await apiTime(server, `/api/feed?limit=50&before=${newest.next}`, 10);

    // Moves between pages, then back to the timeline.
    const moves: { link: string; heading: number; rows: number | null }[] = [];
    const tour: [string, string | null][] = [
      ["Threads", "main ul li"],
      ["Memories", "main ol li, main ul li"],
      ["Tasks", "main ul.tasks li"],
      ["Search", null],
      ["Ask", null],
      ["Chat", null],
      ["Safety", "main table tr td, main .empty"],
      ["Sync", "main li, main table td"],
      ["Webhooks", null],
      ["Timeline", "ol.timeline > li"],
    ];
    for (let round = 0; round < 3; round++) {
      for (const [link, rows] of tour) moves.push({ link, ...(await move(page, link, rows)) });
    }
    const headings = moves.map((each) => each.heading);
    const withRows = moves.flatMap((each) => (each.rows === null || Number.isNaN(each.rows) ? [] : [each.rows]));

    // Search in the page, against the same request's answer time from Node.
    await move(page, "Search", null);
    const searches: Record<string, { page: number; api: number }> = {};
    for (const [name, words] of Object.entries(options.words)) {
      const times: number[] = [];
      for (let run = 0; run < 7; run++) times.push(await searchInPage(page, words));
      searches[name] = {
        page: median(times),
        api: await apiTime(server, `/api/search?q=${encodeURIComponent(words)}&limit=20&cursor=0`, 7),
      };
    }

    // A new row on an open timeline: pushed from here, seen there (one clock: this machine's).
    await move(page, "Timeline", "ol.timeline > li");
    await page.getByRole("status").filter({ hasText: "Live" }).waitFor();
    const live: number[] = [];
    const pushes: number[] = [];
    for (let probe = 0; probe < 60; probe++) {
      const text = `live probe ${probe} ${Date.now()}`;
      const sent = Date.now();
      await fetch(`${server.url}/api/memories`, {
        method: "POST",
        headers: { authorization: `Bearer ${server.token}`, "content-type": "application/json" },
        body: JSON.stringify({ content: text, project: "live" }),
      });
      pushes.push(Date.now() - sent);
      const seen = await page.waitForFunction(`window.__seen[${JSON.stringify(text)}]`);
      live.push(((await seen.jsonValue()) as number) - sent);
    }
    await context.close();
    // The slowest first showing of each page's rows (the first visit reads them; later ones show what was read).
    const slowest = new Map<string, number>();
    for (const each of moves) {
      if (each.rows === null || Number.isNaN(each.rows)) continue;
      slowest.set(each.link, Math.max(slowest.get(each.link) ?? 0, each.rows));
    }
    return {
      slowest,
      firstPageGz,
      allGz,
      scripts: loaded.size,
      ours,
      floor,
      headings,
      withRows,
      older,
      olderApi,
      searches,
      live,
      pushes,
    };
  } finally {
    await browser.close();
    bare.server.close();
  }
}

export function printWeb(result: Awaited<ReturnType<typeof webBench>>, entries: number): void {
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  console.log(
    `(l) web      first page's JavaScript: ${kb(result.firstPageGz)} gzipped in ${result.scripts} files` +
      ` (target ≤ 50 kB; all the build's scripts ${kb(result.allGz)}, the rest loaded when a form needs them)`,
  );
  console.log(
    `    usable (timeline rows shown, ${entries} entries on the account), median of 15: cold ${ms(result.ours.cold)}` +
      ` (p95 ${ms(result.ours.coldP95)}), warm ${ms(result.ours.warm)} (p95 ${ms(result.ours.warmP95)}) (target ≤ 300 ms)` +
      ` vs a bare page that fetches and lists 50 rows: cold ${ms(result.floor.cold)}, warm ${ms(result.floor.warm)}` +
      ` → ${(result.ours.cold / result.floor.cold).toFixed(2)}× cold, ${(result.ours.warm / result.floor.warm).toFixed(2)}× warm`,
  );
  console.log(
    `    moving between pages (${result.headings.length} moves): heading shown p50 ${ms(median(result.headings))},` +
      ` p99 ${ms(percentile(result.headings, 0.99))} (target ≤ 50 ms); with the page's rows (those last read show at once, and are read again) p50 ${ms(median(result.withRows))},` +
      ` p99 ${ms(percentile(result.withRows, 0.99))}; slowest first showing: ` +
      [...result.slowest].map(([link, time]) => `${link} ${ms(time)}`).join(", "),
  );
  console.log(
    `    timeline "Older" on the big account: ${ms(result.older)} to the rows vs the API's answer ${ms(result.olderApi)};` +
      Object.entries(result.searches)
        .map(
          ([name, times]) =>
            ` search (${name} word) ${ms(times.page)} to the results vs the API's answer ${ms(times.api)}` +
            ` → ${(times.page / times.api).toFixed(2)}×`,
        )
        .join(";"),
  );
  console.log(
    `    a new row on an open timeline (${result.live.length} pushes): p50 ${ms(median(result.live))},` +
      ` p99 ${ms(percentile(result.live, 0.99))}, max ${ms(Math.max(...result.live))} (target ≤ 1 s at the p99;` +
      ` the server looks every 400 ms) vs the push's own round trip p50 ${ms(median(result.pushes))}`,
  );
}

/**
 * The digest on the same big account, and what it costs everyone else: the worst wait of a health
 * check made while it runs, against the same check on an idle server.
 */
export async function digestStall(server: ServerProcess, runs = 3) {
  const headers = { authorization: `Bearer ${server.token}` };
  const health = async () => {
    const started = performance.now();
    await (await fetch(`${server.url}/healthz`)).text();
    return performance.now() - started;
  };
  const idle: number[] = [];
  for (let probe = 0; probe < 50; probe++) idle.push(await health());
  const digests: number[] = [];
  let worst = 0;
  for (let run = 0; run < runs; run++) {
    let done = false;
    const started = performance.now();
    const digest = fetch(`${server.url}/api/sync/digest`, { headers })
      .then((response) => response.text())
      .then(() => {
        done = true;
        return performance.now() - started;
      });
    while (!done) {
      worst = Math.max(worst, await health());
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    digests.push(await digest);
  }
  return { digest: median(digests), worst, idle: median(idle) };
}

export function printDigestStall(stall: Awaited<ReturnType<typeof digestStall>>, entries: number): void {
  console.log(
    `(m) digest   GET /api/sync/digest over ${entries} entries: ${stall.digest.toFixed(0)} ms (median of 3);` +
      ` a health check made meanwhile waited at worst ${stall.worst.toFixed(1)} ms vs ${stall.idle.toFixed(1)} ms idle` +
      ` (the digest reads in pages and yields between slices)`,
  );
}
