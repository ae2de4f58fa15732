import type { Credentials } from "./credentials";

export interface SyncProblem {
  code: string;
  message: string;
}

/** What `cairn sync status` reports as needing attention (pure: decided over loaded state). */
export function syncProblems(state: {
  credentials: Credentials | null;
  counts: { pending: number; dead: number };
  lastError: string | null;
  localScopePending: number;
}): SyncProblem[] {
  const problems: SyncProblem[] = [];
  if (!state.credentials && state.counts.pending > 0) {
    problems.push({
      code: "not_logged_in",
      message: `${state.counts.pending} row(s) wait in the local scope; run \`cairn login\` to sync them`,
    });
  }
  if (state.counts.dead > 0) {
    problems.push({
      code: "dead_rows",
      message: `${state.counts.dead} row(s) were rejected by the server; see \`cairn sync queue\`, then \`cairn sync retry\``,
    });
  }
  if (state.lastError?.startsWith("unauthenticated")) {
    problems.push({ code: "login_invalid", message: "The server refused the saved token; run `cairn login` again" });
  }
  if (state.localScopePending > 0) {
    problems.push({
      code: "unadopted_local_rows",
      message: `${state.localScopePending} row(s) written before login wait in the local scope`,
    });
  }
  return problems;
}
