import { signal } from "@preact/signals";

/** Who is signed in (null: the login page), and the page shown. */
export const signedIn = signal<{ id: string; name: string } | null>(null);
/** Whether the page has asked the server who it is yet (the first paint waits for it). */
export const checked = signal(false);

export type Route = "timeline" | "search" | "ask" | "safety";
export const route = signal<Route>(routeOf(location.pathname));

export function routeOf(path: string): Route {
  if (path.startsWith("/search")) return "search";
  if (path.startsWith("/ask")) return "ask";
  if (path.startsWith("/safety")) return "safety";
  return "timeline";
}

/** Moves to a page of the UI without reloading (the small router: a few routes, the address kept in step). */
export function go(to: Route): void {
  route.value = to;
  const path = to === "timeline" ? "/" : `/${to}`;
  if (location.pathname !== path) history.pushState(null, "", path);
}

addEventListener("popstate", () => {
  route.value = routeOf(location.pathname);
});
