import { api } from "@cairn/core/wire/api";
import type { OutputOf } from "@cairn/core/wire/endpoint";
import { signal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { call } from "./api-client";
import { postForEvents } from "./event-stream";

type Conversation = OutputOf<typeof api.listConversations>["conversations"][number];

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
const busy = signal(false);

function update(index: number, change: (turn: Turn) => Turn): void {
  turns.value = turns.value.map((turn, at) => (at === index ? change(turn) : turn));
}

async function loadConversations(): Promise<void> {
  conversations.value = (await call(api.listConversations, { query: { limit: 50 } })).conversations;
}

/** A conversation's stored messages as turns (tool calls with their results as cards). */
async function open(id: string): Promise<void> {
  current.value = id;
  const { messages } = await call(api.conversationMessages, { params: { id }, query: { limit: 200 } });
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
  turns.value = shown;
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
          const answer = api.chat.output.parse(data);
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
      </nav>
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
