import { signal } from "@preact/signals";

/** Who is signed in (null: the login page), and the page shown. */
export const signedIn = signal<{ id: string; name: string; admin: boolean } | null>(null);
/** Whether the page has asked the server who it is yet (the first paint waits for it). */
export const checked = signal(false);

export type Route =
  | "timeline"
  | "search"
  | "ask"
  | "safety"
  | "threads"
  | "thread"
  | "tasks"
  | "memories"
  | "memory"
  | "jobs"
  | "chat"
  | "sync"
  | "webhooks";
export const route = signal<Route>(routeOf(location.pathname));

export function routeOf(path: string): Route {
  if (path.startsWith("/search")) return "search";
  if (path.startsWith("/ask")) return "ask";
  if (path.startsWith("/safety")) return "safety";
  if (path.startsWith("/tasks")) return "tasks";
  if (/^\/memories\/[^/]+/.test(path)) return "memory";
  if (path.startsWith("/memories")) return "memories";
  if (path.startsWith("/jobs")) return "jobs";
  if (path.startsWith("/chat")) return "chat";
  if (path.startsWith("/sync")) return "sync";
  if (path.startsWith("/webhooks")) return "webhooks";
  if (/^\/threads\/[^/]+\/[^/]+/.test(path)) return "thread";
  if (path.startsWith("/threads")) return "threads";
  return "timeline";
}

/** Moves to a page of the UI without reloading (the small router: a few routes, the address kept in step). */
export function go(to: Route, address?: string): void {
  const path = address ?? (to === "timeline" ? "/" : `/${to}`);
  if (`${location.pathname}${location.hash}` !== path) history.pushState(null, "", path);
  route.value = to;
  hash.value = location.hash;
}

/** The address's fragment: an entry's permalink names the entry there. */
export const hash = signal(location.hash);

addEventListener("popstate", () => {
  route.value = routeOf(location.pathname);
  hash.value = location.hash;
});
addEventListener("hashchange", () => {
  hash.value = location.hash;
});
