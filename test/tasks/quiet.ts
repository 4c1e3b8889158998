/**
 * Library functions never print: `silent(fn)` runs fn with process.stdout and process.stderr writes
 * captured, and fails the test when fn wrote anything. The value (or the error) of fn is passed on.
 * While an async fn waits, node:test's own reporter (this file runs in a child process) writes its
 * serialized events to stdout as Buffers; those are passed through, and only text writes, which is how
 * gokiln prints, are counted. test/guard-rails/thin-cli.test.ts also checks the sources: no module outside
 * src/cli names process.stdout, process.stderr or console.
 */
import { strict as assert } from 'node:assert';

export async function silent<T>(fn: () => T | Promise<T>): Promise<T> {
  const written: string[] = [];
  const out = process.stdout.write;
  const err = process.stderr.write;
  const capture = (original: typeof out, stream: NodeJS.WriteStream) =>
    function (this: unknown, chunk: unknown, ...rest: unknown[]): boolean {
      // a test file run as a program (as npm run mutate runs them) has node:test's reporter stream piped into
      // this same stdout, writing its TAP text while fn awaits: a write from a pipe is the runner's, not the
      // library's (gokiln prints with direct writes)
      if (typeof chunk === 'string' && !/\bondata \(node:internal\/streams\/readable/.test(new Error().stack ?? '')) {
        written.push(chunk);
        return true;
      }
      return (original as (...a: unknown[]) => boolean).call(stream, chunk, ...rest);
    } as typeof out;
  process.stdout.write = capture(out, process.stdout);
  process.stderr.write = capture(err, process.stderr);
  try {
    return await fn();
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    assert.deepEqual(written, [], 'a library function printed');
  }
}

/** The GokilnError code fn throws (fails when it returns). */
export async function codeOf(fn: () => unknown): Promise<string> {
  try {
    await silent(fn);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    assert.equal(typeof code, 'string', `not a typed error: ${String(e)}`);
    assert.equal((e as Error).name, 'GokilnError', String(e));
    return code as string;
  }
  assert.fail('expected a GokilnError, got a result');
}
