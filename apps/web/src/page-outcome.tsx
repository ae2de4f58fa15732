import type { Signal } from "@preact/signals";

/** A page's last failure, said at once to assistive technology (role alert); nothing when there is none. */
export function FailureAlert({ message }: { message: string | null }) {
  return message ? (
    <p role="alert" class="error">
      {message}
    </p>
  ) : null;
}

/** What a page that changes things says of its last change (pageActions): the failure, else the outcome. */
export function Outcome({ notice, failure }: { notice: Signal<string | null>; failure: Signal<string | null> }) {
  return (
    <>
      <FailureAlert message={failure.value} />
      <p role="status" aria-live="polite">
        {notice.value}
      </p>
    </>
  );
}
