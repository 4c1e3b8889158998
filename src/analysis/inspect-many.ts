/**
 * Inspecting many files at once (a bin/ folder, a CI artefact directory). The files are shared out between
 * this thread and worker threads, each taking the next file when it becomes free, so one 400 MB binary
 * does not hold up the rest; results come back in the order of the paths. This thread starts on the first
 * file at once: a worker needs tens of milliseconds to start, and a short list is done before one would help.
 */
import { availableParallelism } from 'node:os';
import { inspectFile, type InspectOptions } from './inspect.js';
import type { InspectResult } from './types.js';

export interface InspectManyOptions extends InspectOptions {
  /** Threads in all, this one included (like `make -j`); by default defaultJobs(). */
  jobs?: number;
  /** Called on this thread after each file it finished, with the count finished by all threads so far. */
  onProgress?: (done: number, total: number, file: string) => void;
  /** @internal The worker script (tests give a failing one). */
  workerUrl?: URL;
}

/** Below this many files no worker is started. */
export const MIN_FILES_PER_WORKER = 8;

/** What a worker gets: the whole list, the options, and the shared counters. */
export interface InspectWorkerData {
  paths: string[];
  opts: InspectOptions;
  /** Int32 [next index to take, files finished]. */
  counters: SharedArrayBuffer;
}

export interface InspectWorkerMessage {
  index: number;
  result: InspectResult;
}

/**
 * One thread fewer than the CPUs: V8's garbage collector and optimising compiler run on threads of their
 * own, and on a 2-CPU machine a second inspecting thread made 120 binaries slower (420 ms against 400 ms,
 * bench/inspect), the two threads then each running at half speed.
 */
export function defaultJobs(): number {
  return Math.max(1, availableParallelism() - 1);
}

export async function inspectFiles(paths: string[], options: InspectManyOptions = {}): Promise<InspectResult[]> {
  const { jobs = defaultJobs(), onProgress, workerUrl = new URL('./inspect-worker.js', import.meta.url), ...opts } = options;
  const results: Array<InspectResult | undefined> = new Array(paths.length);
  const counters = new SharedArrayBuffer(8);
  const shared = new Int32Array(counters);
  const helpers = Math.max(0, Math.min(jobs - 1, Math.floor(paths.length / MIN_FILES_PER_WORKER)));
  const workers: Array<Promise<void>> = [];
  for (let w = 0; w < helpers; w++) {
    workers.push(
      runWorker(workerUrl, { paths, opts, counters }, results).catch((e: unknown) => {
        // The results cannot depend on threads: what a worker that failed to start or died left undone is
        // done below, on this thread. The failure is still told, as a process warning.
        process.emitWarning(
          `an inspect worker thread failed (${(e as Error)?.message ?? String(e)}); its files were inspected on the main thread`,
          { code: 'GOKILN_WORKER' },
        );
      }),
    );
  }
  const one = (i: number): void => {
    const path = paths[i]!;
    results[i] = inspectFile(path, opts);
    onProgress?.(Atomics.add(shared, 1, 1) + 1, paths.length, path);
  };
  for (let i = Atomics.add(shared, 0, 1); i < paths.length; i = Atomics.add(shared, 0, 1)) one(i);
  await Promise.all(workers);
  for (let i = 0; i < paths.length; i++) if (results[i] === undefined) one(i);
  return results as InspectResult[];
}

function runWorker(url: URL, data: InspectWorkerData, results: Array<InspectResult | undefined>): Promise<void> {
  return new Promise((resolve, reject) => {
    // worker_threads is loaded only when a worker starts: it brings some twenty of Node's internal modules,
    // start-up work a one-file inspect (the common case) would pay for nothing
    const { Worker } = process.getBuiltinModule('node:worker_threads');
    const worker = new Worker(url, { workerData: data });
    worker.on('message', (m: InspectWorkerMessage) => {
      results[m.index] = m.result;
    });
    worker.on('error', reject);
    worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`inspect worker exited with code ${code}`))));
  });
}
