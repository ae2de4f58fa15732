import type { LookupAddress } from "node:dns";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { addressPolicyOf } from "@cairn/core/webhooks/address-policy";
import { nodeSecrets } from "@cairn/store/node-secrets";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postSigned } from "./delivery-job";

/**
 * A name that looks public but resolves to this machine: the resolver is the one part
 * faked (there is no DNS server here); the receiver, the connection and undici are real.
 */
const resolveToLoopback = ((hostname: string, _options: unknown, callback: (...args: unknown[]) => void) => {
  const addresses: LookupAddress[] = [{ address: "127.0.0.1", family: 4 }];
  callback(null, hostname === "hooks.example.test" ? addresses : [{ address: "93.184.216.34", family: 4 }]);
}) as unknown as typeof import("node:dns").lookup;

describe("webhook deliveries and internal addresses", () => {
  let receiver: Server;
  let port = 0;
  let received = 0;

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      received += 1;
      request.resume();
      response.end("ok");
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    port = (receiver.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

  const send = (url: string, allow?: string) =>
    postSigned(
      {
        secrets: nodeSecrets,
        now: () => new Date(),
        webhookPolicy: addressPolicyOf(allow),
        resolveHost: resolveToLoopback,
      },
      { url, secret: "whsec_test" },
      { body: "{}", eventType: "memory.created", deliveryId: "d1" },
    );

  it("refuses a name that resolves to an internal address when it connects, and the receiver hears nothing", async () => {
    const before = received;
    const result = await send(`http://hooks.example.test:${port}/hook`);
    expect(result).toMatchObject({
      httpStatus: null,
      error: "refused: hooks.example.test resolves to an internal address (127.0.0.1)",
    });
    expect(received).toBe(before);
  });

  it("refuses an internal address written in the URL without connecting, whatever port answers there", async () => {
    const before = received;
    const open = await send(`http://127.0.0.1:${port}/hook`);
    const closed = await send("http://127.0.0.1:9/hook");
    // The same answer for an open port and a closed one: the log tells nothing about the machine.
    expect(open.error).toBe("refused: 127.0.0.1 is an internal address");
    expect(closed.error).toBe(open.error);
    expect(received).toBe(before);
  });

  it("delivers to hosts an administrator allowed", async () => {
    const before = received;
    expect(await send(`http://hooks.example.test:${port}/hook`, "hooks.example.test")).toMatchObject({
      httpStatus: 200,
      error: null,
    });
    expect(await send(`http://127.0.0.1:${port}/hook`, `127.0.0.1:${port}`)).toMatchObject({
      httpStatus: 200,
      error: null,
    });
    expect(received).toBe(before + 2);
  });
});
