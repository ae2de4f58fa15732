import type { LanguageModelV3 } from "@ai-sdk/provider";
import type { Secrets } from "@cairn/core/accounts/secrets";
import type { Embedder } from "@cairn/core/embeddings/embedder";
import type { FaultPoint } from "@cairn/core/operations/apply-push";
import type { DeleteGuard } from "@cairn/core/operations/server-hooks";
import type { Store } from "@cairn/core/store/store-port";
import type { AddressPolicy } from "@cairn/core/webhooks/address-policy";
import type { JobRunner } from "./jobs/job-runner";

/** What the HTTP app needs; `main` chooses the implementations. */
export interface ServerDeps {
  store: Store;
  secrets: Secrets;
  now: () => Date;
  newId: () => string;
  /** The destruction guard (default: warn above 10 deletes a minute). */
  guard?: DeleteGuard | undefined;
  /** The server's hybrid-logical-clock versions for memories edited over REST. */
  nextVersion?: (() => string) | undefined;
  /** The chat agent's model, when given (tests script one); else the configured provider's. */
  chatModel?: LanguageModelV3 | undefined;
  /** The embedding model, when configured: search and the oracle's retrieval are hybrid. */
  embedder?: Embedder | undefined;
  /** How long a search waits for its query's embedding before ranking by BM25 alone. */
  queryEmbeddingTimeoutMs?: number | undefined;
  /** The durable job runner of this process, when it runs one (routes that queue jobs wake it). */
  jobs?: JobRunner | undefined;
  /** Which hosts webhooks may reach (default: no internal address). */
  webhookPolicy?: AddressPolicy | undefined;
  /** Named crash points for crash tests; absent in normal runs. */
  faultPoint?: ((point: FaultPoint) => void) | undefined;
}
