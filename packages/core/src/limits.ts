/** Default limits from SPEC sections 2 to 4; every one is configurable where it is used. */
export const limits = {
  entryContentBytes: 100_000,
  memoryContentChars: 50_000,
  memoryTags: 20,
  tagLength: 50,
  bodyBytes: 1024 * 1024,
  pushMutations: 500,
  pageSize: 50,
  maxPageSize: 500,
  searchQueryTerms: 32,
  slugLength: 64,
} as const;
