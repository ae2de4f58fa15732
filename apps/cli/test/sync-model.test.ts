import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createToken } from "@cairn/core/accounts/create-token";
import { createUser } from "@cairn/core/accounts/create-user";
import { createIdGenerator } from "@cairn/core/ids";
import { appendEntry } from "@cairn/core/operations/append-entry";
import type { Store } from "@cairn/core/store/store-port";
import { type RunningServer, startServer } from "@cairn/server/start-server";
import { nodeSecrets } from "@cairn/store/node-secrets";
import { testDatabaseUrl, testPgDisabled } from "@cairn/store/postgres/test-database";
import { type ClientCrashPoint, drain } from "@cairn/sync/drain";
import { type HttpTransport, nodeHttpTransport } from "@cairn/sync/http-transport";
import { LocalStore } from "@cairn/sync/local-store";
import { SyncClient } from "@cairn/sync/sync-client";
import { faultTransport, type NetworkMode, seededRandom } from "@cairn/sync/testing/fault-transport";
import fc from "fast-check";
import pg from "pg";
import { describe, expect, it } from "vitest";

/**
 * Model-based property test of sync (fast-check commands). Two devices, two
 * users; the devices write, drain online, offline and through injected
 * faults, crash at random durable steps, run a second drainer at once,
 * switch accounts; tokens expire and are renewed; the server restarts and
 * rejects poison rows. Real server, real HTTP on loopback, real SQLite
 * stores, on both server databases.
 *
 * Checked during the run: nothing ever appears under another account; no
 * row's attempt counter rises except by a rejection; no seq is in flight
 * from two drainers at once. Checked after quiescence: every entry is on
 * the server exactly once under the account that wrote it, in its device's
 * order; every outbox holds only its poison rows, dead, each with a reason.
 * fast-check prints the seed and the command list of a failing run.
 */

const users = ["alice", "bob"] as const;
type UserName = (typeof users)[number];
const modelServer = "http://cairn.model";
const crashPoints: ClientCrashPoint[] = [
  "client.push.in_flight",
  "client.push.response",
  "client.push.acked",
  "client.pull.applied",
];

class SimulatedCrash extends Error {}

interface Device {
  index: number;
  login: { user: UserName; token: string };
  stores: Map<UserName, LocalStore>;
  /** Entry ids this device wrote, in order, per user. */
  written: Map<UserName, string[]>;
  poison: Map<UserName, number>;
}

interface Real {
  server: RunningServer;
  restart: () => Promise<void>;
  accounts: Record<UserName, { id: string; token: string; tokenId: string }>;
  devices: Device[];
  mode: NetworkMode;
  random: () => number;
  transport: HttpTransport;
  deadPids: Set<number>;
  nextPid: number;
  violations: string[];
  dir: string;
}

interface Model {
  logins: UserName[];
}

function storeOf(real: Real, device: Device, user: UserName): LocalStore {
  let local = device.stores.get(user);
  if (!local) {
    local = LocalStore.open({
      path: join(real.dir, `device-${device.index}-${user}.db`),
      userId: real.accounts[user].id,
      server: modelServer,
      newDeviceId: createIdGenerator(),
    });
    device.stores.set(user, local);
  }
  return local;
}

/** The ids of every entry the server holds for a user, in server order. */
async function serverEntries(store: Store, userId: string): Promise<string[]> {
  const changes = await store.forUser(userId).changesSince(0, 1_000_000);
  return changes.flatMap((change) => (change.type === "entry" ? [change.entry.id] : []));
}

/** Nothing ever appears under an account that did not write it. */
async function checkNoMisrouting(real: Real): Promise<void> {
  for (const user of users) {
    const mine = new Set(real.devices.flatMap((device) => device.written.get(user) ?? []));
    for (const id of await serverEntries(real.server.store, real.accounts[user].id)) {
      if (!mine.has(id)) real.violations.push(`entry ${id} appeared under ${user}, who never wrote it`);
    }
  }
}

/** Attempts count rejections only: a row that was never rejected has none. */
function checkAttempts(real: Real, local: LocalStore): void {
  for (const row of local.outbox.list(100_000)) {
    if (row.state !== "dead" && row.attempts !== 0) {
      real.violations.push(`row ${row.seq} has ${row.attempts} attempts without a rejection`);
    }
  }
}

async function runDrain(
  real: Real,
  device: Device,
  options: { crashAt?: ClientCrashPoint | undefined; waitForLock: boolean; token?: string },
): Promise<void> {
  const user = device.login.user;
  const local = storeOf(real, device, user);
  const pid = real.nextPid++;
  const holder = `device-${device.index}-drainer-${pid}`;
  try {
    await drain({
      local,
      client: new SyncClient({
        server: modelServer,
        token: options.token ?? device.login.token,
        transport: real.transport,
      }),
      now: () => new Date(),
      random: real.random,
      deadlineMs: 15_000,
      waitForLock: options.waitForLock,
      drainer: { holder, pid, role: "model", isAlive: (candidate) => !real.deadPids.has(candidate) },
      crashPoint: (point) => {
        if (point === options.crashAt) throw new SimulatedCrash(point);
      },
    });
  } catch (error) {
    if (!(error instanceof SimulatedCrash)) throw error;
    // A killed process keeps its lock row and never runs its clean-up: leave things as it would.
    real.deadPids.add(pid);
    local.store.db
      .prepare(
        `INSERT INTO drain_lock (id, holder, pid, role, acquired_at, lease_until) VALUES (1, ?, ?, 'model', ?, ?)
         ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, pid = excluded.pid, lease_until = excluded.lease_until`,
      )
      .run(holder, pid, new Date().toISOString(), new Date(Date.now() + 3_600_000).toISOString());
  }
  checkAttempts(real, local);
  await checkNoMisrouting(real);
}

class WriteCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly device: number,
    readonly count: number,
  ) {}
  check = () => true;
  async run(_model: Model, real: Real): Promise<void> {
    const device = real.devices[this.device] as Device;
    const user = device.login.user;
    const local = storeOf(real, device, user);
    const now = () => new Date();
    for (let index = 0; index < this.count; index++) {
      const written = await appendEntry(
        { sink: local.sink({ now, queueCap: 100_000 }), newId: createIdGenerator(), now },
        { project: "model", thread: `device-${this.device}`, content: `${user} on device ${this.device}` },
      );
      device.written.set(user, [...(device.written.get(user) ?? []), written.id]);
    }
  }
  toString = () => `write(device ${this.device}, ${this.count})`;
}

class PoisonCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly device: number) {}
  check = () => true;
  async run(_model: Model, real: Real): Promise<void> {
    const device = real.devices[this.device] as Device;
    const user = device.login.user;
    // Valid JSON the server refuses (empty content): it must be parked dead, not block the rows behind it.
    storeOf(real, device, user).outbox.enqueue({
      op: "entry.append",
      args: { id: `poison${randomBytes(4).toString("hex")}`, projectId: "model", threadId: "p", content: "" },
      entityId: "poison",
      clientTime: new Date().toISOString(),
    });
    device.poison.set(user, (device.poison.get(user) ?? 0) + 1);
  }
  toString = () => `poison(device ${this.device})`;
}

class DrainCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly device: number,
    readonly mode: NetworkMode,
    readonly crashAt: ClientCrashPoint | null,
  ) {}
  check = () => true;
  async run(_model: Model, real: Real): Promise<void> {
    real.mode = this.mode;
    await runDrain(real, real.devices[this.device] as Device, {
      crashAt: this.crashAt ?? undefined,
      waitForLock: true,
    });
    real.mode = "online";
  }
  toString = () => `drain(device ${this.device}, ${this.mode}${this.crashAt ? `, crash at ${this.crashAt}` : ""})`;
}

class ConcurrentDrainCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly device: number,
    readonly mode: NetworkMode,
  ) {}
  check = () => true;
  async run(_model: Model, real: Real): Promise<void> {
    real.mode = this.mode;
    const device = real.devices[this.device] as Device;
    await Promise.all([runDrain(real, device, { waitForLock: true }), runDrain(real, device, { waitForLock: false })]);
    real.mode = "online";
  }
  toString = () => `two drainers at once(device ${this.device}, ${this.mode})`;
}

class SwitchLoginCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly device: number,
    readonly user: UserName,
  ) {}
  check = (model: Readonly<Model>) => model.logins[this.device] !== this.user;
  async run(model: Model, real: Real): Promise<void> {
    const device = real.devices[this.device] as Device;
    device.login = { user: this.user, token: real.accounts[this.user].token };
    model.logins[this.device] = this.user;
  }
  toString = () => `login(device ${this.device} as ${this.user})`;
}

class ExpireTokenCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly user: UserName) {}
  check = () => true;
  async run(_model: Model, real: Real): Promise<void> {
    const account = real.accounts[this.user];
    await real.server.store.system.transaction((tx) =>
      tx.forUser(account.id).revokeToken(account.tokenId, new Date().toISOString()),
    );
  }
  toString = () => `expire token(${this.user})`;
}

class RenewTokenCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly user: UserName) {}
  check = () => true;
  async run(_model: Model, real: Real): Promise<void> {
    await renewToken(real, this.user);
  }
  toString = () => `renew token(${this.user})`;
}

class RestartServerCommand implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(_model: Model, real: Real): Promise<void> {
    await real.restart();
  }
  toString = () => "restart server";
}

/** A new token for the user; every device logged in as them logs in again with it. */
async function renewToken(real: Real, user: UserName): Promise<void> {
  const created = await createToken(
    { store: real.server.store, secrets: nodeSecrets, now: () => new Date(), newId: createIdGenerator() },
    { user, name: `renewed-${real.nextPid++}` },
  );
  real.accounts[user] = { ...real.accounts[user], token: created.token, tokenId: created.tokenId };
  for (const device of real.devices) {
    if (device.login.user === user) device.login = { user, token: created.token };
  }
}

const device = fc.integer({ min: 0, max: 1 });
const user = fc.constantFrom(...users);
const commands = fc.commands(
  [
    // Writes are listed twice: they are what the run is about.
    fc.tuple(device, fc.integer({ min: 1, max: 3 })).map(([index, count]) => new WriteCommand(index, count)),
    fc.tuple(device, fc.integer({ min: 1, max: 3 })).map(([index, count]) => new WriteCommand(index, count)),
    fc
      .tuple(
        device,
        fc.constantFrom<NetworkMode>("online", "offline", "flaky", "flaky"),
        fc.option(fc.constantFrom(...crashPoints), { freq: 3 }),
      )
      .map(([index, mode, crashAt]) => new DrainCommand(index, mode, crashAt)),
    fc
      .tuple(device, fc.constantFrom<NetworkMode>("online", "flaky"))
      .map(([index, mode]) => new ConcurrentDrainCommand(index, mode)),
    fc.tuple(device, user).map(([index, name]) => new SwitchLoginCommand(index, name)),
    user.map((name) => new ExpireTokenCommand(name)),
    user.map((name) => new RenewTokenCommand(name)),
    fc.constant(new RestartServerCommand()),
    device.map((index) => new PoisonCommand(index)),
  ],
  { maxCommands: 40, size: "large" },
);

interface Backend {
  name: string;
  open: () => Promise<{ options: { dataDir: string; databaseUrl?: string }; dispose: () => Promise<void> }>;
}

const backends: Backend[] = [
  {
    name: "sqlite",
    open: async () => {
      const dataDir = mkdtempSync(join(tmpdir(), "cairn-model-server-"));
      return { options: { dataDir }, dispose: async () => rmSync(dataDir, { recursive: true, force: true }) };
    },
  },
];
if (!testPgDisabled()) {
  backends.push({
    name: "postgres",
    open: async () => {
      const schema = `cairn_model_${process.pid}_${randomBytes(4).toString("hex")}`;
      const url = new URL(testDatabaseUrl());
      url.searchParams.set("schema", schema);
      const dataDir = mkdtempSync(join(tmpdir(), "cairn-model-server-"));
      return {
        options: { dataDir, databaseUrl: url.toString() },
        dispose: async () => {
          rmSync(dataDir, { recursive: true, force: true });
          const client = new pg.Client({ connectionString: testDatabaseUrl() });
          await client.connect();
          await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
          await client.end();
        },
      };
    },
  });
}

async function setup(backend: Backend, seed: number): Promise<{ real: Real; dispose: () => Promise<void> }> {
  const database = await backend.open();
  const serverOptions = {
    ...database.options,
    host: "127.0.0.1",
    port: 0,
    logLevel: "silent" as const,
    writesPerMinute: 1e6,
    readsPerMinute: 1e6,
  };
  const dir = mkdtempSync(join(tmpdir(), "cairn-model-devices-"));
  const server = await startServer(serverOptions);
  const deps = { store: server.store, secrets: nodeSecrets, now: () => new Date(), newId: createIdGenerator() };
  const accounts = {} as Real["accounts"];
  for (const name of users) {
    const created = await createUser(deps, { name });
    accounts[name] = { id: created.user.id, token: created.token, tokenId: created.tokenId };
  }
  const random = seededRandom(seed);
  const real: Real = {
    server,
    accounts,
    devices: [0, 1].map((index) => ({
      index,
      login: { user: users[index] as UserName, token: accounts[users[index] as UserName].token },
      stores: new Map(),
      written: new Map(),
      poison: new Map(),
    })),
    mode: "online",
    random,
    deadPids: new Set(),
    nextPid: 10_000_000,
    violations: [],
    dir,
    transport: nodeHttpTransport,
    restart: async () => {
      await real.server.close();
      real.server = await startServer(serverOptions);
    },
  };
  // Drainer level: no seq may be in flight from two drainers at once.
  const inFlight = new Map<string, number>();
  const network = faultTransport(
    (request) =>
      nodeHttpTransport({ ...request, url: new URL(request.url.pathname + request.url.search, real.server.url) }),
    { random, mode: () => real.mode },
  );
  real.transport = async (request) => {
    const body =
      request.body === undefined
        ? null
        : (JSON.parse(request.body) as { deviceId: string; mutations: { seq: number }[] });
    const keys = body ? body.mutations.map((mutation) => `${body.deviceId}:${mutation.seq}`) : [];
    for (const key of keys) {
      if (inFlight.has(key)) real.violations.push(`seq ${key} sent by two drainers at once`);
      inFlight.set(key, (inFlight.get(key) ?? 0) + 1);
    }
    try {
      return await network(request);
    } finally {
      for (const key of keys) {
        const left = (inFlight.get(key) ?? 1) - 1;
        if (left === 0) inFlight.delete(key);
        else inFlight.set(key, left);
      }
    }
  };
  return {
    real,
    dispose: async () => {
      for (const each of real.devices) for (const local of each.stores.values()) await local.close();
      await real.server.close();
      rmSync(dir, { recursive: true, force: true });
      await database.dispose();
    },
  };
}

/** Everyone back online with a valid login; every scope drained until nothing is pending. */
async function quiesce(real: Real): Promise<void> {
  real.mode = "online";
  for (const name of users) await renewToken(real, name);
  for (const each of real.devices) {
    for (const [name, local] of each.stores) {
      for (let round = 0; round < 5 && local.outbox.counts().pending > 0; round++) {
        const original = each.login;
        each.login = { user: name, token: real.accounts[name].token };
        await runDrain(real, each, { waitForLock: true });
        each.login = original;
      }
    }
  }
}

async function checkQuiescent(real: Real): Promise<void> {
  expect(real.violations).toEqual([]);
  for (const name of users) {
    const onServer = await serverEntries(real.server.store, real.accounts[name].id);
    const written = real.devices.flatMap((each) => each.written.get(name) ?? []);
    // Exactly once: the same ids, no more, no fewer.
    expect(onServer.length).toBe(written.length);
    expect([...onServer].sort()).toEqual([...written].sort());
    // Per-device order: the server applied each device's entries in the order they were written.
    for (const each of real.devices) {
      const mine = new Set(each.written.get(name) ?? []);
      expect(onServer.filter((id) => mine.has(id))).toEqual(each.written.get(name) ?? []);
    }
  }
  for (const each of real.devices) {
    for (const [name, local] of each.stores) {
      const rows = local.outbox.list(100_000);
      expect(rows.every((row) => row.state === "dead" && (row.lastError ?? "") !== "")).toBe(true);
      expect(rows.length).toBe(each.poison.get(name) ?? 0);
    }
  }
}

describe.each(backends)("sync model ($name)", (backend) => {
  it("never loses, doubles or misroutes a row, whatever happens", async () => {
    const stats = { runs: 0, commands: 0, entries: 0 };
    await fc.assert(
      fc.asyncProperty(commands, fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (list, seed) => {
        const { real, dispose } = await setup(backend, seed);
        try {
          await fc.asyncModelRun(() => ({ model: { logins: [...users] }, real }), list);
          stats.runs += 1;
          stats.commands += [...list].length;
          stats.entries += real.devices.reduce(
            (sum, each) => sum + [...each.written.values()].reduce((total, ids) => total + ids.length, 0),
            0,
          );
          await quiesce(real);
          await checkQuiescent(real);
        } finally {
          await dispose();
        }
      }),
      { numRuns: backend.name === "sqlite" ? 50 : 25, verbose: 1 },
    );
    // The property really ran: many runs, each with commands and entries to check.
    expect(stats.runs).toBeGreaterThanOrEqual(12);
    expect(stats.commands).toBeGreaterThan(stats.runs * 5);
    expect(stats.entries).toBeGreaterThan(stats.runs);
    console.log(
      `sync model (${backend.name}): ${stats.runs} runs, ${stats.commands} commands, ${stats.entries} entries`,
    );
  }, 240_000);
});
