import { api } from "@cairn/core/wire/api";
import type { OutputOf } from "@cairn/core/wire/endpoint";
import { signal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { call } from "./api-client";
import { postForEvents } from "./event-stream";

type Conversation = OutputOf<typeof api.listConversations>["conversations"][number];
type Message = OutputOf<typeof api.conversationMessages>["messages"][number];

const conversationPage = 50;
const messagePage = 200;

/** What the page shows of a turn: the user's words, the agent's text, and each tool call as a card. */
interface ToolCard {
  id: string;
  name: string;
  parameters: unknown;
  result?: unknown;
  success?: boolean;
}
interface Turn {
  user: string;
  clientMessageId: string;
  text: string;
  tools: ToolCard[];
  state: "streaming" | "done" | "failed";
  error?: string;
}

const conversations = signal<Conversation[]>([]);
const current = signal<string | null>(null);
const turns = signal<Turn[]>([]);
const conversationsTotal = signal(0);
/** The open conversation's messages read so far: the latest page, and earlier ones on request. */
let loaded: { messages: Message[]; from: number } = { messages: [], from: 0 };
const earlierLeft = signal(0);
const busy = signal(false);

function update(index: number, change: (turn: Turn) => Turn): void {
  turns.value = turns.value.map((turn, at) => (at === index ? change(turn) : turn));
}

async function loadConversations(more = false): Promise<void> {
  const offset = more ? conversations.value.length : 0;
  const page = await call(api.listConversations, { query: { limit: conversationPage, offset } });
  conversations.value = more ? [...conversations.value, ...page.conversations] : page.conversations;
  conversationsTotal.value = page.total;
}

/** Opens a conversation at its latest messages (a long one pages back with "Earlier messages"). */
async function open(id: string): Promise<void> {
  current.value = id;
  const { total } = await call(api.conversationMessages, { params: { id }, query: { limit: 1 } });
  const from = Math.max(0, total - messagePage);
  const page = await call(api.conversationMessages, { params: { id }, query: { limit: messagePage, offset: from } });
  loaded = { messages: page.messages, from };
  earlierLeft.value = from;
  turns.value = turnsOf(loaded.messages);
}

async function earlier(): Promise<void> {
  const id = current.value;
  if (id === null || loaded.from === 0) return;
  const from = Math.max(0, loaded.from - messagePage);
  const page = await call(api.conversationMessages, {
    params: { id },
    query: { limit: loaded.from - from, offset: from },
  });
  loaded = { messages: [...page.messages, ...loaded.messages], from };
  earlierLeft.value = from;
  turns.value = turnsOf(loaded.messages);
}

/**
 * Stored messages as turns (tool calls with their results as cards). A page that starts inside a
 * turn leaves that turn's answer out until the page before it is read.
 */
function turnsOf(messages: Message[]): Turn[] {
  const shown: Turn[] = [];
  for (const message of messages) {
    if (message.role === "user") {
      shown.push({
        user: message.content,
        clientMessageId: message.clientMessageId ?? message.id,
        text: "",
        tools: [],
        state: "done",
      });
      continue;
    }
    const turn = shown.at(-1);
    if (!turn) continue;
    if (message.role === "assistant") {
      turn.text += message.content;
      for (const called of message.toolCalls ?? [])
        turn.tools.push({ id: called.id, name: called.name, parameters: called.input });
    }
    if (message.role === "tool") {
      const card = turn.tools.find((tool) => tool.id === message.toolCallId);
      if (card) card.result = JSON.parse(message.content || "null");
    }
  }
  return shown;
}

/**
 * Sends one message and streams the turn. The client message id is made once per message: a
 * retry after a failure sends the same id, so the server runs the turn once whatever happened.
 */
async function send(message: string, clientMessageId: string = crypto.randomUUID(), retryOf?: number): Promise<void> {
  busy.value = true;
  let index = retryOf ?? turns.value.length;
  if (retryOf === undefined) {
    turns.value = [...turns.value, { user: message, clientMessageId, text: "", tools: [], state: "streaming" }];
  } else {
    update(index, (turn) => ({ ...turn, text: "", tools: [], state: "streaming" }));
  }
  try {
    await postForEvents(
      api.chat.path,
      { message, client_message_id: clientMessageId, ...(current.value ? { conversation_id: current.value } : {}) },
      (event, data) => {
        const fields = data as Record<string, unknown>;
        if (event === "conversation") current.value = String(fields.conversation_id);
        if (event === "text") update(index, (turn) => ({ ...turn, text: turn.text + String(fields.delta) }));
        if (event === "tool_call") {
          const card = {
            id: String(fields.tool_call_id),
            name: String(fields.tool_name),
            parameters: fields.parameters,
          };
          update(index, (turn) => ({ ...turn, tools: [...turn.tools, card] }));
        }
        if (event === "tool_result") {
          update(index, (turn) => ({
            ...turn,
            tools: turn.tools.map((tool) =>
              tool.id === fields.tool_call_id
                ? { ...tool, result: fields.result, success: Boolean(fields.success) }
                : tool,
            ),
          }));
        }
        if (event === "done") {
          const answer = data as OutputOf<typeof api.chat>;
          update(index, (turn) => ({ ...turn, text: answer.assistant_message, state: "done" }));
        }
        if (event === "error") {
          const error = (fields.error as { message?: string } | undefined)?.message ?? "The turn failed";
          update(index, (turn) => ({ ...turn, state: "failed", error }));
        }
      },
    );
  } catch (error) {
    update(index, (turn) => ({ ...turn, state: "failed", error: (error as Error).message }));
  } finally {
    busy.value = false;
    index = -1;
    void loadConversations();
  }
}

function needsConfirmation(turn: Turn): boolean {
  return turn.tools.some((tool) => (tool.result as { status?: string } | undefined)?.status === "needs_confirmation");
}

function ToolCardView({ tool }: { tool: ToolCard }) {
  return (
    <details class={`tool ${tool.success === false ? "failed" : ""}`}>
      <summary>
        {tool.name}
        {tool.result === undefined ? " …" : tool.success === false ? " failed" : ""}
      </summary>
      <pre>{JSON.stringify(tool.parameters, null, 2)}</pre>
      {tool.result !== undefined && <pre>{JSON.stringify(tool.result, null, 2)}</pre>}
    </details>
  );
}

/**
 * Chat with the agent: conversations, turns streamed as they are written, each tool call a card
 * with its result, and Yes / No buttons when the agent asks to confirm a delete or a bulk change.
 */
export function ChatPage() {
  useEffect(() => {
    void loadConversations();
  }, []);
  function submit(event: Event) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const message = String(new FormData(form).get("message") ?? "").trim();
    if (!message || busy.value) return;
    form.reset();
    void send(message);
  }
  const last = turns.value.at(-1);
  return (
    <section aria-labelledby="chat-title" class="chat">
      <h1 id="chat-title">Chat</h1>
      <nav aria-label="Conversations" class="conversations">
        <button
          type="button"
          onClick={() => {
            current.value = null;
            turns.value = [];
            loaded = { messages: [], from: 0 };
            earlierLeft.value = 0;
          }}
        >
          New chat
        </button>
        <ul>
          {conversations.value.map((conversation) => (
            <li key={conversation.id}>
              <a
                href={`#${conversation.id}`}
                aria-current={current.value === conversation.id ? "true" : undefined}
                onClick={(event) => {
                  event.preventDefault();
                  void open(conversation.id);
                }}
              >
                {conversation.title || "Untitled"}
              </a>
            </li>
          ))}
        </ul>
        {conversations.value.length < conversationsTotal.value && (
          <button type="button" onClick={() => void loadConversations(true)}>
            More conversations
          </button>
        )}
      </nav>
      {earlierLeft.value > 0 && (
        <button type="button" onClick={() => void earlier()}>
          Earlier messages ({earlierLeft.value})
        </button>
      )}
      <ol class="turns" aria-label="Messages" aria-live="polite">
        {turns.value.map((turn, index) => (
          <li key={turn.clientMessageId}>
            <p class="you">{turn.user}</p>
            {turn.tools.map((tool) => (
              <ToolCardView key={tool.id} tool={tool} />
            ))}
            {turn.text && <p class="agent">{turn.text}</p>}
            {turn.state === "failed" && (
              <p role="alert" class="error">
                {turn.error}{" "}
                <button type="button" class="small" onClick={() => void send(turn.user, turn.clientMessageId, index)}>
                  Retry
                </button>
              </p>
            )}
          </li>
        ))}
      </ol>
      {last && last.state === "done" && needsConfirmation(last) && (
        <fieldset class="actions confirm">
          <legend>Confirm?</legend>
          <button type="button" onClick={() => void send("yes")}>
            Yes
          </button>
          <button type="button" onClick={() => void send("no")}>
            No
          </button>
        </fieldset>
      )}
      <form onSubmit={submit} class="composer">
        <label for="message">Message</label>
        <input id="message" name="message" type="text" autocomplete="off" placeholder="add pay rent friday" />
        <button type="submit" disabled={busy.value}>
          Send
        </button>
      </form>
    </section>
  );
}
