/** Hostile search strings from the foundation issue: each must answer a list, never throw. */
export const hostileQueries = [
  '"',
  "'",
  "-x",
  "AND",
  "NEAR(",
  "*",
  ")",
  '"unbalanced quote',
  "a".repeat(10_000),
  "!!! ??? ... ,,,",
  "🔥🚀",
  "parser OR NOT AND NEAR(x, y) ^title: col:x",
  "(( ))",
];
