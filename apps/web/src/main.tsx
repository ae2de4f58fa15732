import { api } from "@cairn/core/wire/api";
import { render } from "preact";
import { call, session } from "./api-client";
import { checked, go, route, signedIn } from "./app-state";
import { AskPage } from "./ask-page";
import { ChatPage } from "./chat-page";
import { JobsPage } from "./jobs-page";
import { LoginPage } from "./login-page";
import { MemoriesPage } from "./memories-page";
import { MemoryHistoryPage } from "./memory-history-page";
import { SafetyPage } from "./safety-page";
import { SearchPage } from "./search-page";
import { SyncPage } from "./sync-page";
import { TasksPage } from "./tasks-page";
import { ThreadsPage, ThreadView } from "./threads-page";
import { TimelinePage } from "./timeline-page";
import { WebhooksPage } from "./webhooks-page";
import "./styles.css";

session.onSignedOut = () => {
  signedIn.value = null;
};

async function signOut() {
  await call(api.logout, {}).catch(() => {});
  signedIn.value = null;
}

function page() {
  switch (route.value) {
    case "search":
      return <SearchPage />;
    case "ask":
      return <AskPage />;
    case "safety":
      return <SafetyPage />;
    case "threads":
      return <ThreadsPage />;
    case "tasks":
      return <TasksPage />;
    case "memories":
      return <MemoriesPage />;
    case "memory":
      return <MemoryHistoryPage />;
    case "jobs":
      return <JobsPage />;
    case "chat":
      return <ChatPage />;
    case "sync":
      return <SyncPage />;
    case "webhooks":
      return <WebhooksPage />;
    case "thread":
      return <ThreadView />;
    default:
      return <TimelinePage />;
  }
}

function App() {
  if (!checked.value) return <p class="loading">Loading…</p>;
  if (!signedIn.value) return <LoginPage />;
  const link = (to: typeof route.value, label: string) => (
    <a
      href={to === "timeline" ? "/" : `/${to}`}
      aria-current={
        route.value === to ||
        (to === "threads" && route.value === "thread") ||
        (to === "memories" && route.value === "memory")
          ? "page"
          : undefined
      }
      onClick={(event) => {
        event.preventDefault();
        go(to);
      }}
    >
      {label}
    </a>
  );
  return (
    <>
      <header class="top">
        <nav aria-label="Pages">
          <span class="brand">Cairn</span>
          {link("timeline", "Timeline")}
          {link("threads", "Threads")}
          {link("memories", "Memories")}
          {link("tasks", "Tasks")}
          {link("search", "Search")}
          {link("ask", "Ask")}
          {link("chat", "Chat")}
          {link("safety", "Safety")}
          {link("sync", "Sync")}
          {link("webhooks", "Webhooks")}
          {signedIn.value.admin && link("jobs", "Jobs")}
        </nav>
        <div class="account">
          <span>{signedIn.value.name}</span>
          <button type="button" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main>{page()}</main>
    </>
  );
}

// Who is signed in: the session cookie, if any, answers /api/me.
call(api.me, {})
  .then((me) => {
    signedIn.value = { id: me.user.id, name: me.user.name, admin: me.admin ?? false };
  })
  .catch(() => {
    signedIn.value = null;
  })
  .finally(() => {
    checked.value = true;
  });

render(<App />, document.getElementById("app") as HTMLElement);
