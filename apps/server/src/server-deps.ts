import type { Secrets } from "@cairn/core/accounts/secrets";
import type { FaultPoint } from "@cairn/core/operations/apply-push";
import type { Store } from "@cairn/core/store-port";

/** What the HTTP app needs; `main` chooses the implementations. */
export interface ServerDeps {
  store: Store;
  secrets: Secrets;
  now: () => Date;
  newId: () => string;
  /** Named crash points for crash tests; absent in normal runs. */
  faultPoint?: ((point: FaultPoint) => void) | undefined;
}
