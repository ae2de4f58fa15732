/**
 * Deterministic vectors for tests: one dimension per concept, counting the
 * concept's words, plus a small constant dimension so no text is the zero
 * vector. "car" and "automobile" land on the same dimension, so a search by
 * meaning finds what the words alone cannot. Used by the tests' embedder and
 * by the fake OpenAI embeddings server.
 */
export const concepts: Record<string, string[]> = {
  vehicle: ["car", "cars", "automobile", "vehicle", "engine", "truck", "sedan"],
  retry: ["retry", "retries", "backoff", "attempts", "resilience"],
  database: ["postgres", "database", "sqlite", "sql", "schema"],
  weather: ["rain", "storm", "weather", "forecast", "umbrella"],
  deploy: ["deploy", "release", "rollout", "ship", "launch"],
};

const dimensions = Object.values(concepts);

export function conceptVector(text: string): number[] {
  const vector = [...dimensions.map(() => 0), 0.01];
  for (const word of text.toLowerCase().match(/[a-z]+/g) ?? []) {
    dimensions.forEach((words, index) => {
      if (words.includes(word)) vector[index] = (vector[index] ?? 0) + 1;
    });
  }
  return vector;
}
