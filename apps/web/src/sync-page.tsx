import { api } from "@cairn/core/wire/api";
import type { OutputOf } from "@cairn/core/wire/endpoint";
import { signal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { call } from "./api-client";
import { FailureAlert } from "./page-outcome";

type Device = OutputOf<typeof api.devices>["devices"][number];
type Digest = OutputOf<typeof api.digest>["digest"];

const devices = signal<Device[]>([]);
const digest = signal<Digest | "counting" | null>(null);
const failure = signal<string | null>(null);

/**
 * Sync as the server sees it: each device (last seen, the last seq it applied, the mutations it
 * refused and why), and the digest a device compares with its own to know it holds the same rows.
 */
export function SyncPage() {
  useEffect(() => {
    const failed = (error: unknown) => {
      failure.value = (error as Error).message;
    };
    call(api.devices, {})
      .then((listed) => {
        devices.value = listed.devices;
      })
      .catch(failed);
  }, []);
  // On request only: the digest reads and hashes every row (about 0.7 s of the server's work at
  // 100,000 entries), which opening the page should not cost.
  const count = () => {
    digest.value = "counting";
    call(api.digest, { query: {} })
      .then((summed) => {
        digest.value = summed.digest;
      })
      .catch((error: unknown) => {
        digest.value = null;
        failure.value = (error as Error).message;
      });
  };
  return (
    <section aria-labelledby="sync-title">
      <h1 id="sync-title">Devices and sync</h1>
      <FailureAlert message={failure.value} />
      {devices.value.length === 0 ? (
        <p class="empty">No device has pushed yet: `cairn login` on a machine, then write.</p>
      ) : (
        <table class="trash">
          <caption>Devices, most recently seen first</caption>
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col">Last seen</th>
              <th scope="col">Last applied seq</th>
              <th scope="col">Refused</th>
            </tr>
          </thead>
          <tbody>
            {devices.value.map((device) => (
              <tr key={device.deviceId}>
                <td>
                  <code>{device.name ?? device.deviceId}</code>
                </td>
                <td>{device.lastSeenAt ? new Date(device.lastSeenAt).toLocaleString() : "never"}</td>
                <td>{device.lastAppliedSeq}</td>
                <td>
                  {device.rejected}
                  {device.lastRejection && <span class="where"> · last: {device.lastRejection.reason}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        <button type="button" onClick={count} disabled={digest.value === "counting"}>
          {digest.value === null ? "Compute the digest" : "Compute it again"}
        </button>{" "}
        It counts and hashes every row the server holds of yours, by type: a device compares it with its own.
      </p>
      <table class="trash">
        <caption>Digest: what the server holds, by type</caption>
        <thead>
          <tr>
            <th scope="col">Type</th>
            <th scope="col">Rows</th>
            <th scope="col">Hash</th>
          </tr>
        </thead>
        <tbody aria-busy={digest.value === "counting" ? "true" : "false"}>
          {digest.value === "counting" && (
            <tr>
              <td colSpan={3}>Counting and hashing every row…</td>
            </tr>
          )}
          {Object.entries(typeof digest.value === "object" && digest.value !== null ? digest.value : {}).map(
            ([type, summary]) => (
              <tr key={type}>
                <td>{type}</td>
                <td>{summary.count}</td>
                <td>
                  <code>{summary.hash.slice(0, 16)}</code>
                </td>
              </tr>
            ),
          )}
        </tbody>
      </table>
    </section>
  );
}
