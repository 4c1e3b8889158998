/** A worker thread of inspectFiles: takes the next unclaimed file until none is left. */
import { parentPort, workerData } from 'node:worker_threads';
import { inspectFile } from './inspect.js';
import type { InspectWorkerData, InspectWorkerMessage } from './inspect-many.js';

const { paths, opts, counters } = workerData as InspectWorkerData;
const shared = new Int32Array(counters);
for (let i = Atomics.add(shared, 0, 1); i < paths.length; i = Atomics.add(shared, 0, 1)) {
  const message: InspectWorkerMessage = { index: i, result: inspectFile(paths[i]!, opts) };
  parentPort?.postMessage(message);
  Atomics.add(shared, 1, 1);
}
