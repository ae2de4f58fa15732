/** What the offline parser answers (an intent) and the shape of one recogniser. */

export type Intent =
  | { kind: "tool"; tool: string; input: Record<string, unknown>; reply?: "count" }
  | { kind: "answer"; text: string }
  /** A pronoun ("delete it") to resolve against the conversation, then run as `tool`. */
  | { kind: "pronoun"; tool: string; input: Record<string, unknown> }
  | { kind: "confirm" }
  | { kind: "cancel" }
  /**
   * "the second one": a pick from the last list the conversation showed, for this command
   * ("complete the first one") or, without one, for the previous command.
   */
  | { kind: "pick"; index: number; tool?: string; input?: Record<string, unknown> };

export const identity =
  "I am Cairn's built-in offline assistant: a deterministic command parser, not an AI language model. " +
  "I add, list, count, complete, start, postpone, update and delete tasks, remember things and answer from your " +
  'memory, from plain requests such as "add buy milk tomorrow", "what do I need to do today?", "mark buy milk ' +
  'done", "postpone the report by a week", "remember that the API uses port 8787" or "what is the wifi ' +
  'password?". Configure a model provider (CAIRN_CHAT_PROVIDER) for free-form chat.';

export const cannot =
  'I can\'t do that offline: I only understand plain requests about tasks and memory (say "help" for ' +
  "examples). Configure a model provider (CAIRN_CHAT_PROVIDER) for free-form requests.";

export const tool = (name: string, input: Record<string, unknown>, reply?: "count"): Intent => ({
  kind: "tool",
  tool: name,
  input,
  ...(reply ? { reply } : {}),
});

/** One kind of request: `said` is the request without its polite words, `lower` the same in lower case. */
export type Recogniser = (said: string, lower: string, original: string) => Intent | null;
