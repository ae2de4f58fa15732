import { InvalidArgumentError } from "commander";

/** Parses a non-negative integer option, refusing anything else as bad usage. */
export function intOption(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new InvalidArgumentError("must be a whole number");
  return parsed;
}
