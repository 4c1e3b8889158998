/**
 * inspectFiles shares a list between threads: whatever the number of threads, the results must be those of
 * inspecting each file alone, in the order given, bad inputs included.
 */
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { inspectFile } from '../../src/analysis/inspect.js';
import { inspectFiles, MIN_FILES_PER_WORKER } from '../../src/analysis/inspect-many.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fixture, fixturesOfKind } from '../fixtures/index.js';

const TODAY = new Date('2026-11-26T00:00:00Z');

describe('inspectFiles', () => {
  // Go binaries of every format, a big one (buf), and bad inputs (a directory, a script, an empty file)
  const names = [
    'static',
    'buf',
    'cgo-glibc',
    'windows-amd64',
    'darwin-universal',
    'esbuild-go115',
    'musl-static',
    'directory',
    'script',
    'empty',
    'truncated-elf',
    'ls',
  ] as const;
  const base = names.map((n) => fixture(n));
  // repeated so that worker threads are started (a short list stays on one thread)
  const paths = [...base, ...base, ...base, '/no/such/file'];
  const alone = paths.map((p) => inspectFile(p, { today: TODAY }));

  for (const jobs of [1, 2, 3]) {
    test(`${jobs} thread(s): the same results as one file at a time, in order`, async () => {
      assert.ok(paths.length >= 2 * MIN_FILES_PER_WORKER, 'enough files for two workers');
      const seen: number[] = [];
      const got = await inspectFiles(paths, { today: TODAY, jobs, onProgress: (done, total) => seen.push(done, total) });
      assert.deepEqual(got, alone);
      assert.ok(seen.length > 0, 'progress was reported');
      for (let i = 0; i < seen.length; i += 2) {
        assert.ok(seen[i]! >= 1 && seen[i]! <= paths.length);
        assert.equal(seen[i + 1], paths.length);
      }
      // progress counts only go up
      const done = seen.filter((_, i) => i % 2 === 0);
      assert.deepEqual(
        done,
        [...done].sort((a, b) => a - b),
      );
    });
  }

  test('a worker that cannot start, or dies holding a file, leaves its files to the main thread: same results, and a warning', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gk-worker-'));
    try {
      const broken = join(dir, 'broken.mjs');
      writeFileSync(broken, "throw new Error('no such worker');\n");
      // claims the next file, then ends the thread without a result for it
      const dying = join(dir, 'dying.mjs');
      writeFileSync(
        dying,
        "import { workerData } from 'node:worker_threads';\nAtomics.add(new Int32Array(workerData.counters), 0, 1);\nprocess.exit(7);\n",
      );
      for (const script of [broken, dying]) {
        const warnings: string[] = [];
        const onWarning = (w: Error & { code?: string }) => {
          if (w.code === 'GOKILN_WORKER') warnings.push(w.message);
        };
        process.on('warning', onWarning);
        try {
          const got = await inspectFiles(paths, { today: TODAY, jobs: 3, workerUrl: pathToFileURL(script) });
          assert.deepEqual(got, alone);
          await new Promise((r) => setImmediate(r)); // warnings are emitted on the next tick
          assert.equal(warnings.length, 2, `${script}: one warning per failed worker`);
          assert.match(warnings[0]!, /inspect worker thread failed/);
        } finally {
          process.off('warning', onWarning);
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a worker that finds the list done takes nothing more: exactly one result per path', async () => {
    // the main thread is held in its first progress call until the worker has taken every other file and
    // then asked for one more (the index past the end), which it must not inspect
    const small = fixturesOfKind('bad')
      .filter((n) => n !== 'noperm')
      .map((n) => fixture(n));
    const list = Array.from({ length: 2 * MIN_FILES_PER_WORKER }, (_, i) => small[i % small.length]!);
    let held = false;
    const got = await inspectFiles(list, {
      jobs: 2,
      today: TODAY,
      onProgress: () => {
        if (held) return;
        held = true;
        const until = Date.now() + 1500;
        while (Date.now() < until); // a busy wait: this thread must not take the next file meanwhile
      },
    });
    assert.equal(got.length, list.length);
    assert.deepEqual(
      got,
      list.map((p) => inspectFile(p, { today: TODAY })),
    );
  });

  test('a short list and an empty one', async () => {
    assert.deepEqual(await inspectFiles([], { jobs: 4 }), []);
    const few = fixturesOfKind('bad')
      .slice(0, 3)
      .map((n) => fixture(n));
    assert.deepEqual(
      await inspectFiles(few, { jobs: 4, today: TODAY }),
      few.map((p) => inspectFile(p, { today: TODAY })),
    );
  });
});
