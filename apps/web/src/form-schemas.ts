import { rememberInput, updateMemoryInput } from "@cairn/core/operations/memories";
import { addTaskInput, updateTaskInput } from "@cairn/core/operations/tasks";
import { addWebhookInput } from "@cairn/core/operations/webhooks";
import { parseInput } from "@cairn/core/validate";

/**
 * The input schemas of the operations the page's forms send, loaded only when a form is sent
 * (form-check.ts imports this lazily: zod is most of its weight).
 */
const schemas = {
  remember: rememberInput,
  updateMemory: updateMemoryInput,
  addTask: addTaskInput,
  updateTask: updateTaskInput,
  addWebhook: addWebhookInput,
};

export type FormName = keyof typeof schemas;

/** Throws the server's own `invalid_input` error, word for word, for what the server would refuse. */
export function checkInput(name: FormName, value: unknown): void {
  parseInput(schemas[name], value);
}
