import { errorFromResponse } from "@cairn/core/wire/error-body";

/**
 * POSTs JSON and reads the answer's server-sent events (EventSource only GETs): `on(event, data)`
 * for each, in order. The oracle and chat answer this way when asked for `text/event-stream`.
 */
export async function postForEvents(
  path: string,
  body: unknown,
  on: (event: string, data: unknown) => void,
): Promise<void> {
  const response = await fetch(path, {
    method: "POST",
    credentials: "same-origin",
    headers: { "content-type": "application/json", accept: "text/event-stream" },
    body: JSON.stringify(body),
  });
  if (!response.ok || !response.body) {
    throw errorFromResponse(response.status, await response.json().catch(() => null));
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end = buffer.indexOf("\n\n");
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event !== undefined && data !== undefined) on(event, JSON.parse(data));
      end = buffer.indexOf("\n\n");
    }
  }
}
