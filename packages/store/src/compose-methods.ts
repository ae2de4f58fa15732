import type { AdapterTx, StoreMethods } from "@cairn/core/store/store-port";
import type { FeatureQueries } from "./shared/feature-queries";

/**
 * The methods each adapter writes itself, on its own connection (full-text search, the
 * per-transaction change counter, batched entry writes): the portable ones come from
 * `featureQueries`. Named once, so both adapters expose the same surface.
 */
export const adapterOwnMethods = [
  "listThreads",
  "findThreads",
  "listEntries",
  "threadStats",
  "searchEntries",
  "searchMemories",
  "searchTasks",
  "presentTerms",
  "putEntry",
  "insertEntry",
  "getDeviceSeq",
  "setDeviceSeq",
  "findRejections",
  "recordRejection",
  "changesSince",
  "changeHorizon",
  "nextSeq",
  "ensureProject",
  "ensureThread",
  "deleteThread",
  "putThread",
  "savepoint",
] as const satisfies readonly (keyof AdapterTx)[];

type OwnMethods = Pick<AdapterTx, (typeof adapterOwnMethods)[number]>;

// Every method is either portable or the adapter's own (a compile-time check: `Missing` must be never).
type Missing = Exclude<keyof AdapterTx, keyof FeatureQueries | (typeof adapterOwnMethods)[number]>;
const covered: [Missing] extends [never] ? true : false = true;
void covered;

/**
 * An adapter's methods as one object: its portable roles (shared SQL over its connection) and
 * its own, taken from the adapter by name and bound to it. Composition, not declaration
 * merging: the adapter class keeps its connection state, the port sees only the methods.
 */
export function composeMethods(
  portable: FeatureQueries,
  adapter: OwnMethods,
  overrides: Partial<StoreMethods> = {},
): AdapterTx {
  const own = Object.fromEntries(
    adapterOwnMethods.map((name) => [name, (adapter[name] as (...args: unknown[]) => unknown).bind(adapter)]),
  );
  return { ...portable, ...own, ...overrides } as AdapterTx;
}
