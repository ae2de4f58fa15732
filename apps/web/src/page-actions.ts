import { signal } from "@preact/signals";

/**
 * What a page that changes things shows: the last outcome (`notice`) or failure, and `act`, which
 * runs a change, says what it did (or why it failed), then reads the page's rows again.
 */
export function pageActions(reload: () => Promise<void>) {
  const notice = signal<string | null>(null);
  const failure = signal<string | null>(null);
  async function act(work: () => Promise<string>): Promise<void> {
    failure.value = null;
    try {
      notice.value = await work();
    } catch (error) {
      failure.value = (error as Error).message;
    }
    await reload();
  }
  return { notice, failure, act };
}

/** A form's fields as trimmed text ("" for a field it does not have). */
export function fieldsOf(form: HTMLFormElement | undefined): (name: string) => string {
  const data = new FormData(form);
  return (name) => String(data.get(name) ?? "").trim();
}
