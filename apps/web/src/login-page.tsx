import { api } from "@cairn/core/wire/api";
import { signal } from "@preact/signals";
import { call } from "./api-client";
import { signedIn } from "./app-state";
import { FailureAlert } from "./page-outcome";

const error = signal<string | null>(null);
const busy = signal(false);

/** The login: the API token is sent once, the server answers with a session cookie; the token is not kept. */
export function LoginPage() {
  async function submit(event: Event) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const input = form.elements.namedItem("token") as HTMLInputElement;
    busy.value = true;
    error.value = null;
    try {
      await call(api.login, { body: { token: input.value.trim() } });
      input.value = "";
      // Who the session is, with whether it administers the server (the Jobs page).
      const me = await call(api.me, {});
      signedIn.value = { id: me.user.id, name: me.user.name, admin: me.admin ?? false };
    } catch (failure) {
      error.value = (failure as Error).message;
    } finally {
      busy.value = false;
    }
  }
  return (
    <main class="login">
      <h1>Cairn</h1>
      <form onSubmit={submit} aria-describedby="login-help">
        <label for="token">API token</label>
        <input id="token" name="token" type="password" autocomplete="off" required autofocus />
        <p id="login-help" class="hint">
          The token <code>cairn serve</code> printed, or one from <code>cairn admin token create</code>. It is sent
          once; the browser keeps only a session.
        </p>
        <button type="submit" disabled={busy.value}>
          Sign in
        </button>
        <FailureAlert message={error.value} />
      </form>
    </main>
  );
}
