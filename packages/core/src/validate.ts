import type { z } from "zod";
import { AppError } from "./app-error";

/** "field.path: message; other: message", naming every invalid field. */
export function formatIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "(root)"}: ${issue.message}`)
    .join("; ");
}

/** Parses untrusted input with a schema; throws `invalid_input` naming the fields. */
export function parseInput<Schema extends z.ZodType>(schema: Schema, input: unknown): z.infer<Schema> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new AppError("invalid_input", formatIssues(parsed.error), {
    details: {
      fields: parsed.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message })),
    },
  });
}
