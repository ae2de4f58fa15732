import { cannot, type Intent, type Recogniser } from "./intents/intent";
import { normalise } from "./intents/request-words";
import { askMemory, conversation, remember, search } from "./intents/talk";
import { add, complete, datedTodo, destroy, update } from "./intents/task-edits";
import { countTasks, list, showOne } from "./intents/task-reads";

/**
 * The built-in offline model's parser: plain requests to a to-do assistant, as people type
 * them, to tool calls, with no guessing. Pure and deterministic; `offline-model.ts` puts it
 * behind the AI SDK's model interface. It reads a request in three steps: the words that
 * are not the request (politeness, "can you"), the parts that can stand anywhere (a due
 * date, a priority), then what is asked (add, list, count, complete, start, postpone, …) and
 * of which task. What it does not recognise, it says it cannot do.
 */

export { cannot, type Intent, identity } from "./intents/intent";

/** Parses one user message. `text` is what the user wrote, verbatim. */
export function parseCommand(text: string): Intent {
  const whole = parseSentence(text);
  if (whole) return whole;
  // "I can't make the gym today, move it to tomorrow": the request is often the last clause.
  const clauses = normalise(text).split(/,\s*(?:so\s+|then\s+|and\s+)?|\s+(?:so|then|and then)\s+/i);
  if (clauses.length > 1) {
    const last = parseSentence(clauses[clauses.length - 1] ?? "");
    if (last && last.kind !== "answer") return last;
  }
  return { kind: "answer", text: cannot };
}

function parseSentence(text: string): Intent | null {
  const said = normalise(text);
  const lower = said.toLowerCase();
  for (const recognise of recognisers) {
    const intent = recognise(said, lower, text.trim());
    if (intent) return intent;
  }
  return null;
}

const recognisers: Recogniser[] = [
  conversation,
  countTasks,
  remember,
  showOne,
  update,
  complete,
  destroy,
  add,
  list,
  search,
  datedTodo,
  askMemory,
];
