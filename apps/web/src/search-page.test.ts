// @vitest-environment happy-dom
import { createTestApp, type TestApp } from "@cairn/server/test-app";
import { h, render } from "preact";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { SearchPage } from "./search-page";

/**
 * The search box as a component, against the real server in process: the page's fetches are
 * answered by the Cairn app itself (Fastify's inject), authenticated as alice by her token where
 * the browser would send the session cookie.
 */
describe("the search page", () => {
  let t: TestApp;
  let memoryId = "";
  /** Requests the server answered: a search is done when its answer is in and its list is no longer busy. */
  const requests = { answered: 0 };
  const root = () => document.getElementById("root") as HTMLElement;
  const items = () => [...root().querySelectorAll<HTMLAnchorElement>("ol.results > li > a")];
  const input = (id: string) =>
    root().querySelector<HTMLInputElement | HTMLSelectElement>(`#${id}`) as HTMLInputElement;

  beforeAll(async () => {
    t = await createTestApp();
    const entries = Array.from({ length: 25 }, (_, index) => ({
      id: `01JSEARCHPAGE${String(index).padStart(13, "0")}`,
      content: `Deploy step ${index}: the release went out after the smoke tests`,
      author: "agent",
    }));
    const headers = { authorization: `Bearer ${t.alice.token}` };
    await t.app.inject({
      method: "POST",
      url: "/api/threads/sync",
      headers,
      payload: { project: "web", thread: "release-notes", entries },
    });
    const memory = await t.app.inject({
      method: "POST",
      url: "/api/memories",
      headers,
      payload: { content: "The deploy checklist lives in the wiki", project: "web" },
    });
    memoryId = memory.json().memory.id;
    vi.stubGlobal("fetch", async (address: string, init: RequestInit = {}) => {
      const reply = await t.app.inject({
        method: (init.method ?? "GET") as "GET",
        url: address,
        headers: { ...(init.headers as Record<string, string>), ...headers },
        ...(init.body ? { payload: String(init.body) } : {}),
      });
      requests.answered += 1;
      return new Response(reply.body, {
        status: reply.statusCode,
        headers: { "content-type": String(reply.headers["content-type"] ?? "application/json") },
      });
    });
    document.body.innerHTML = '<div id="root"></div>';
    render(h(SearchPage, {}), root());
  });
  afterAll(async () => {
    vi.unstubAllGlobals();
    await t.dispose();
  });

  async function search(words: string, type = "") {
    input("q").value = words;
    input("type").value = type;
    const before = requests.answered;
    (root().querySelector("form") as HTMLFormElement).dispatchEvent(
      new Event("submit", { bubbles: true, cancelable: true }),
    );
    await vi.waitFor(() => {
      expect(requests.answered).toBe(before + 1);
      expect(root().querySelector("ol.results")?.getAttribute("aria-busy")).toBe("false");
    });
  }

  it("shows a page of highlighted hits, each a link to where it was said, and pages on", async () => {
    await search("deploy");
    expect(items()).toHaveLength(20);
    expect(root().querySelector("ol.results mark")?.textContent?.toLowerCase()).toBe("deploy");
    const addresses = items().map((link) => link.getAttribute("href"));
    expect(addresses).toContain(`/memories/${memoryId}`);
    expect(addresses.filter((address) => address?.startsWith("/threads/web/release-notes#01JSEARCHPAGE"))).toHaveLength(
      19,
    );

    const more = [...root().querySelectorAll("button")].find((button) => button.textContent === "More results");
    more?.click();
    await vi.waitFor(() => expect(items()).toHaveLength(26));
    expect(new Set(items().map((link) => link.getAttribute("href"))).size).toBe(26);
    expect([...root().querySelectorAll("button")].some((button) => button.textContent === "More results")).toBe(false);
  });

  it("moves through the results with the arrow keys from the search box", async () => {
    const box = input("q");
    box.focus();
    const press = (key: string) => box.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true }));
    press("ArrowDown");
    expect(document.activeElement).toBe(items()[0]);
    items()[0]?.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowDown", bubbles: true }));
    expect(document.activeElement).toBe(items()[1]);
    items()[1]?.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowUp", bubbles: true }));
    expect(document.activeElement).toBe(items()[0]);
  });

  it("filters by type, and takes hostile strings without an error", async () => {
    await search("deploy", "memory");
    expect(items().map((link) => link.getAttribute("href"))).toEqual([`/memories/${memoryId}`]);
    await search('deploy" -( AND *', "");
    expect(root().querySelector('[role="alert"]')).toBeNull();
    expect(items().length).toBeGreaterThan(0);
    await search("zebra-unrecorded", "");
    expect(items()).toHaveLength(0);
    expect(root().querySelector('[role="status"]')?.textContent).toBe("Nothing matches “zebra-unrecorded”.");
  });
});
