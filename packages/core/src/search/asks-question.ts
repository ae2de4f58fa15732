/**
 * Whether a text asks something: a question mark ending it or one of its last sentences (a
 * shared photo's caption, written as a last bracketed line, aside). A row that asks about a topic
 * is not evidence of it: its reply is.
 */
export function asksQuestion(text: string): boolean {
  const said = text.replace(/\n\[[^\]]*\]\s*$/, "").trimEnd();
  return /\?[\s"')\]]*$/.test(said.slice(-200)) || /\?\s/.test(said.slice(-120));
}
