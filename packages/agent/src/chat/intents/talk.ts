import { identity, type Recogniser, tool } from "./intent";
import { unquote } from "./request-words";
import { pickIndex } from "./task-references";

/** Step 3, the rest: conversation (hello, help, yes, no), remembering, searching and asking memory. */

export const conversation: Recogniser = (_said, said) => {
  // "sure, do it" and "sure do it" are one answer.
  const lower = said.replace(/,/g, "").replace(/\s+/g, " ");
  if (
    lower === "" ||
    /^(help|commands|what can you do|how do i use this|how does this work|\?|options|usage)$/.test(lower)
  ) {
    return { kind: "answer", text: identity };
  }
  if (
    /^(who|what) are you\b|^are you (an? )?(ai|bot|robot|llm|language model|gpt|chatgpt|claude|human|real|person)\b|^what (model|llm|ai) (is this|are you|do you use)|^which model\b|^what is your name/.test(
      lower,
    )
  ) {
    return { kind: "answer", text: identity };
  }
  if (/^(hi|hello|hey|hiya|howdy|good (morning|afternoon|evening))( there)?$/.test(lower)) {
    return { kind: "answer", text: `Hello. ${identity}` };
  }
  if (
    /^(thanks|thank you|thx|ty|cheers|great|perfect|awesome|nice|cool)\b/.test(lower) &&
    lower.split(" ").length <= 4
  ) {
    return { kind: "answer", text: "You're welcome." };
  }
  if (
    /^(y|yes|yep|yeah|yup|sure|ok|okay|confirm|confirmed|correct|right|do it|go ahead|yes please|please do|proceed|affirmative|absolutely|of course)( (please|do it|go ahead|delete (it|them)|do that|that is right|i am sure|confirm))*$/.test(
      lower,
    )
  ) {
    return { kind: "confirm" };
  }
  if (
    /^(n|no|nope|nah|cancel|stop|never mind|nevermind|don't|do not|abort|no thanks|keep (it|them)|leave (it|them))( (don't|do not) (do|delete) (it|that|them)| thanks| keep (it|them)| cancel)*$/.test(
      lower,
    )
  ) {
    return { kind: "cancel" };
  }
  const pick =
    /^(?:(?:i meant|i mean|pick|choose|take)\s+)?(?:the\s+)?(?:number\s+|option\s+|#)?(\d{1,2}|first|second|third|fourth|fifth|last|1st|2nd|3rd|4th|5th|one|two|three|four|five)(?:\s+one)?$/.exec(
      lower,
    );
  if (pick) return { kind: "pick", index: pickIndex(pick[1] ?? "") };
  return null;
};

export const remember: Recogniser = (said) => {
  const match =
    /^(?:remember|note|memorize|memorise|save a note|make a note|note down|keep in mind|write down|jot down|record|don't let me forget|fyi|for the record|note to self|remember this)(?:\s+that)?[:,]?\s+(.+)$/i.exec(
      said,
    );
  if (!match) return null;
  const content = (match[1] ?? "").trim();
  if (!content) return null;
  const kind = /\b(decided|decision|we will|we'll go with|agreed|chose|chosen|going with)\b/i.test(content)
    ? "decision"
    : /\b(i prefer|prefers?|i like|i'd rather|i would rather|always use|never use|my favou?rite)\b/i.test(content)
      ? "preference"
      : /^(?:remember|note|keep in mind|don't let me forget|for the record)\s+that\b/i.test(said)
        ? "fact"
        : "note";
  return tool("remember", { content, kind });
};

export const search: Recogniser = (said) => {
  const match =
    /^(?:search(?: my)?(?: memory| memories| notes| everything)?(?: for)?|find(?: me)?(?: anything| something| notes| memories)?(?: about| on)?|look up|lookup|look for|grep)\s+(.+)$/i.exec(
      said,
    );
  if (!match || /^find (?:my |all )?(?:tasks?|todos?)\b/i.test(said)) return null;
  return tool("search_memory", { query: unquote(match[1] ?? "") });
};

/** A question about what was recorded ("what is the wifi password?", "what did we decide about retries?"). */
export const askMemory: Recogniser = (said, lower, original) => {
  const question =
    /^(what|who|whom|whose|when|where|which|why|how|is|are|was|were|did|do|does|have|has|can|could|should|tell me|remind me|any idea|do you (know|remember)|what do (you|i|we) know)\b/.test(
      lower,
    ) || /\?\s*$/.test(said);
  if (!question) return null;
  const recalled =
    /^(?:do you (?:know|remember)|what do (?:you|i|we) know about|tell me about|remind me(?: of| about)?)\s+(.+)$/i.exec(
      said,
    );
  return tool("ask_oracle", { question: recalled ? (recalled[1] ?? said) : original });
};
