/**
 * An embedding model (the server's is the AI SDK's, for OpenAI or an
 * OpenAI-compatible server). Core only needs texts in, vectors out.
 */
export interface Embedder {
  readonly provider: string;
  readonly model: string;
  embed(texts: string[], options?: { signal?: AbortSignal | undefined }): Promise<number[][]>;
}

/** Characters of a row sent to the embedder: enough for a paragraph's meaning, well inside every model's input limit. */
export const embeddingTextChars = 4_000;
