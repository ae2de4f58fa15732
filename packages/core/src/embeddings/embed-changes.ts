import type { UserStore } from "../store/store-port";
import type { EmbeddingRef, StoredEmbedding } from "../store/store-types";
import { changeEmbeddable } from "../synced/synced-types";
import { type Embedder, embeddingTextChars } from "./embedder";

/** The change-feed consumer of one embedding model (a new model reads the feed from the start). */
export function embeddingConsumer(model: string): string {
  return `embeddings:${model}`;
}

/**
 * Brings one user's embeddings up to date with their change feed (the same
 * feed sync pulls from): every entry, memory and task written or edited since
 * the embedder's cursor is embedded, every one deleted loses its vector, and
 * the cursor moves on in the same transaction. A batch is embedded before its
 * transaction opens, so writes never wait on the embedding model; a batch
 * whose call fails leaves the cursor where it was, and the job retries.
 */
export async function embedChanges(
  deps: { store: UserStore; embedder: Embedder; now: () => Date },
  options: { batchSize: number; maxBatches: number; signal?: AbortSignal | undefined },
): Promise<{ embedded: number; removed: number; more: boolean }> {
  const model = deps.embedder.model;
  let embedded = 0;
  let removed = 0;
  for (let batch = 0; batch < options.maxBatches; batch++) {
    options.signal?.throwIfAborted();
    const cursor = await deps.store.feedCursor(embeddingConsumer(model));
    const changes = await deps.store.changesSince(cursor, options.batchSize);
    if (changes.length === 0) return { embedded, removed, more: false };
    const live: { ref: EmbeddingRef; text: string }[] = [];
    const gone: EmbeddingRef[] = [];
    for (const change of changes) {
      const row = changeEmbeddable(change);
      if (!row) continue;
      if (row.deleted || row.text.trim() === "") gone.push(row.ref);
      else live.push({ ref: row.ref, text: row.text.slice(0, embeddingTextChars) });
    }
    const vectors =
      live.length > 0
        ? await deps.embedder.embed(
            live.map((row) => row.text),
            options,
          )
        : [];
    if (vectors.length !== live.length) {
      throw new Error(`The embedder answered ${vectors.length} vectors for ${live.length} texts`);
    }
    const rows: StoredEmbedding[] = live.map((row, index) => ({ ...row.ref, model, vector: vectors[index] ?? [] }));
    const last = changes[changes.length - 1]?.seq ?? cursor;
    await deps.store.transaction(async (tx) => {
      await tx.putEmbeddings(rows, deps.now().toISOString());
      await tx.deleteEmbeddings(gone);
      await tx.setFeedCursor(embeddingConsumer(model), last);
    });
    embedded += rows.length;
    removed += gone.length;
    if (changes.length < options.batchSize) return { embedded, removed, more: false };
  }
  return { embedded, removed, more: true };
}
