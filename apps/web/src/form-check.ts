import type { FormName } from "./form-schemas";

/**
 * Checks what a form is about to send with the operation's own schema (the rules the server
 * applies, from packages/core), so a mistake is named at once, in the server's words, without a
 * round trip. The schemas come in their own chunk, fetched the first time a form is sent: the
 * first page loads no zod. The server checks again; this only answers sooner.
 */
export async function checkForm(name: FormName, value: unknown): Promise<void> {
  const { checkInput } = await import("./form-schemas");
  checkInput(name, value);
}
