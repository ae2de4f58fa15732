/** The kinds of memory (SPEC section 2); apart from the schemas, so the web UI's first page loads no zod. */
export const memoryKinds = ["note", "fact", "decision", "preference", "summary"] as const;
