import { describe, expect, it } from "vitest";
import { addressPolicyOf, isInternalAddress, refusedAddress, refusedTarget } from "./address-policy";

describe("the webhook address policy", () => {
  it.each([
    "127.0.0.1",
    "127.9.9.9",
    "10.1.2.3",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.10",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "224.0.0.1",
    "255.255.255.255",
    "::",
    "::1",
    "fe80::1",
    "fc00::1",
    "fd12:3456::1",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "::ffff:a9fe:a9fe",
    "64:ff9b::a00:1",
    "2002:c0a8:101::1",
    "not an address",
  ])("calls %s internal", (address) => {
    expect(isInternalAddress(address)).toBe(true);
  });

  it.each(["93.184.216.34", "8.8.8.8", "172.32.0.1", "2606:4700::1111", "::ffff:5db8:d822"])(
    "calls %s public",
    (address) => {
      expect(isInternalAddress(address)).toBe(false);
    },
  );

  it("refuses internal targets by their text, in every spelling the URL parser accepts", () => {
    const none = addressPolicyOf(undefined);
    for (const url of [
      "http://127.0.0.1:5678/hook",
      "http://localhost:8080/",
      "http://api.localhost/",
      "http://LOCALHOST.:8080/",
      "http://[::1]:9000/",
      "http://[::ffff:127.0.0.1]/",
      "http://2130706433/",
      "http://0x7f.1/",
      "http://017700000001/",
      "http://0/",
      "http://169.254.169.254/latest/meta-data/",
      "https://10.0.0.5/",
    ]) {
      expect({ url, refused: refusedTarget(url, none) }).toEqual({ url, refused: expect.any(String) });
    }
    expect(refusedTarget("https://hooks.example.com/x", none)).toBeNull();
    // A name is checked for what it resolves to when a delivery connects.
    expect(refusedAddress("hooks.example.com", "10.0.0.7")).toMatch(/internal address \(10\.0\.0\.7\)/);
    expect(refusedAddress("hooks.example.com", "93.184.216.34")).toBeNull();
  });

  it("lets an administrator allow hosts by name, with or without a port", () => {
    const policy = addressPolicyOf(" 127.0.0.1:5678 , n8n.lan,LOCALHOST ");
    expect(refusedTarget("http://127.0.0.1:5678/webhook", policy)).toBeNull();
    expect(refusedTarget("http://127.0.0.1:5679/webhook", policy)).toMatch(/internal/);
    expect(refusedTarget("http://localhost:1234/", policy)).toBeNull();
    expect(refusedTarget("http://n8n.lan/", policy)).toBeNull();
  });
});
