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

/**
 * Whether a sentence only greets, thanks or exclaims ("Thanks, Mel!", "Hey Gina!", "Wow, thanks
 * so much!"): a reply's first words, before the ones that answer. "Yeah, a few times a week." says
 * something: after its first word, at most two more.
 */
export function isInterjection(sentence: string): boolean {
  const words = sentence.match(/[\p{L}\p{N}']+/gu) ?? [];
  return (
    words.length <= 3 &&
    /^(?:thanks|thank|thx|hey|hi|hello|wow|whoa|yeah|yes|yep|yup|oh|aw+|haha|ha|cool|nice|great|sure|totally|absolutely|definitely|congrats|congratulations|omg|ok|okay|cheers)$/i.test(
      words[0] ?? "",
    )
  );
}
