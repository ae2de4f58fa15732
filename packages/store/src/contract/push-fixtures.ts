import type { PushRequest } from "@cairn/core/wire/push";

/** What the push suites build their requests from (store-contract.ts, refusal-contract.ts). */

let clock = Date.parse("2026-01-01T00:00:00.000Z");
/** A clock that moves a second a call: every write of the push suites has its own time. */
export const now = () => {
  clock += 1000;
  return new Date(clock);
};

/** An `entry.append` mutation at `seq`, as a device pushes it. */
export function entryMutation(seq: number, id: string, content: string, thread = "main", project = "alpha") {
  return {
    seq,
    op: "entry.append",
    args: { id, projectId: project, threadId: thread, content, author: "test", createdAt: now().toISOString() },
    clientTime: now().toISOString(),
  };
}

/** A push of `mutations` by one device of one user. */
export function push(userId: string, deviceId: string, mutations: PushRequest["mutations"]): PushRequest {
  return { pushVersion: 1, deviceId, scope: { userId }, mutations };
}
