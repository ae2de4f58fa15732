/** Step 1 of reading a request: the words around it (contractions, politeness) and small text tidying. */

const contractions: [RegExp, string][] = [
  [/\b(what|that|it|there|who|where|when|how)'s\b/gi, "$1 is"],
  [/\bi'm\b/gi, "I am"],
  [/\bi've\b/gi, "I have"],
  [/\bi'll\b/gi, "I will"],
  [/\bi'd\b/gi, "I would"],
  [/\blet's\b/gi, "let us"],
  [/\bwhats\b/gi, "what is"],
  [/\bdont\b/gi, "don't"],
  [/\bim\b/gi, "I am"],
  [/\bive\b/gi, "I have"],
  [/’/g, "'"],
];

const politeStart =
  /^(?:(?:hey|hi|hello|ok(?:ay)?|so|um+|uh+|cairn|yo)[,!]?\s+)*(?:(?:please|pls|plz|kindly)\s+)?(?:(?:can|could|would|will)\s+(?:you|u)\s+(?:please\s+)?|i(?:'d| would) like (?:you )?to\s+|i want you to\s+|(?:go ahead and|just)\s+)?(?:(?:please|pls|plz)\s+)?/i;

const politeEnd = /(?:[,\s]+(?:please|pls|plz|thanks|thank you|thx|for me|ok|okay|if you can|if possible))+$/i;

export function normalise(text: string): string {
  let said = text.trim().replace(/\s+/g, " ");
  for (const [pattern, replacement] of contractions) said = said.replace(pattern, replacement);
  said = said.replace(/[.!?…]+$/u, "").trim();
  said = said.replace(politeStart, "").replace(politeEnd, "").trim();
  return said.replace(/[.!?…]+$/u, "").trim();
}

export function tidy(text: string): string {
  return text
    .replace(/\s+/g, " ")
    .replace(/\s+([,;:])/g, "$1")
    .replace(/^[\s,;:-]+|[\s,;:-]+$/g, "")
    .trim();
}

/** Strips quotes around a title the user quoted. */
export function unquote(text: string): string {
  const trimmed = text.trim();
  const quoted = /^["'“‘`](.*)["'”’`]$/.exec(trimmed);
  return (quoted?.[1] ?? trimmed).trim();
}
