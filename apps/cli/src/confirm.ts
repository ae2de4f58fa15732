import type { CliContext } from "./cli-context";

/**
 * Asks a yes/no question on the terminal. Without a terminal (a script, an
 * agent) nothing is confirmed: bulk changes then need --yes.
 */
export async function confirm(context: CliContext, question: string): Promise<boolean> {
  const answer = await context.ask(`${question} [y/N] `);
  return answer !== null && /^y(es)?$/i.test(answer.trim());
}
