// The delivery thread's entry point, bundled on its own (apps/cli/dist/delivery-worker.cjs): the server
// starts it with `new Worker(path, { workerData })` (see delivery-thread.ts).
import { parentPort, workerData } from "node:worker_threads";
import { type DeliveryWorkerData, runDeliveryWorker } from "./delivery-worker";

if (!parentPort) throw new Error("the delivery worker runs as a worker thread of cairn serve");
// A failure to start (the database cannot be opened) is an unhandled rejection: it ends the thread with an
// error, which the server logs before starting the thread again.
void runDeliveryWorker(parentPort, workerData as DeliveryWorkerData);
