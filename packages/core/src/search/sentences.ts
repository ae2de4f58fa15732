/** A text's sentences: split after `.`, `!` or `?` and at line breaks; a run-on of over 600 characters is no sentence. */
export function sentencesOf(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence.length > 0 && sentence.length <= 600);
}

/** Whether a sentence asks (ends with a question mark, quotes and brackets aside): it is then no evidence of its topic. */
export function asksSentence(sentence: string): boolean {
  return /\?["')\]]*$/.test(sentence);
}

/**
 * The sentences of a text that tell something. A turn often tells, then asks back ("We went
 * camping last week! Have you been?"): its telling sentences are evidence, its question is not.
 */
export function toldSentences(text: string): string[] {
  return sentencesOf(text).filter((sentence) => !asksSentence(sentence));
}
