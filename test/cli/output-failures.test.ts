/**
 * The one failure path every command shares (src/cli/output.ts): a thrown GokilnError, or a raw file-system
 * error, becomes the error line on stderr, the one JSON error shape or a SARIF log on stdout, and exit 2; a
 * bug is not swallowed. Text writes are captured (node:test's own reporter writes Buffers, passed through).
 */
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { GokilnError } from '../../src/errors.js';
import { asFailure, failureDocument, withFailures } from '../../src/cli/output.js';
import { sarifValidator } from '../harness/sarif.js';

// the error line without colour, whatever the terminal
process.env.NO_COLOR = '1';
delete process.env.FORCE_COLOR;

const validateError = new Ajv2020({ allErrors: true, strict: false }).compile(
  JSON.parse(readFileSync('schemas/error.schema.json', 'utf8')) as object,
);

async function captured(fn: () => Promise<void>): Promise<{ out: string; err: string }> {
  const got = { out: '', err: '' };
  const orig = { out: process.stdout.write, err: process.stderr.write };
  const hook = (key: 'out' | 'err', original: typeof process.stdout.write, stream: NodeJS.WriteStream) =>
    function (chunk: unknown, ...rest: unknown[]): boolean {
      if (typeof chunk !== 'string') return (original as (...a: unknown[]) => boolean).call(stream, chunk, ...rest);
      got[key] += chunk;
      return true;
    } as typeof process.stdout.write;
  process.stdout.write = hook('out', orig.out, process.stdout);
  process.stderr.write = hook('err', orig.err, process.stderr);
  try {
    await fn();
  } finally {
    process.stdout.write = orig.out;
    process.stderr.write = orig.err;
  }
  return got;
}

describe('the one failure path', () => {
  test('failureDocument: the JSON error shape (file only when known), a valid SARIF log, nothing for a person', async () => {
    const withFile = JSON.parse(
      await failureDocument({ code: 'E_NOT_FOUND', message: 'x: no such file or directory', file: 'x' }, 'json'),
    ) as object;
    assert.deepEqual(withFile, { error: { code: 'E_NOT_FOUND', message: 'x: no such file or directory', file: 'x' } });
    assert.ok(validateError(withFile), JSON.stringify(validateError.errors));
    const noFile = JSON.parse(await failureDocument({ code: 'E_USAGE', message: 'bad flag' }, 'json')) as object;
    assert.deepEqual(noFile, { error: { code: 'E_USAGE', message: 'bad flag' } });
    const sarif = JSON.parse(await failureDocument({ code: 'E_PARSE', message: 'c.yaml:2: bad' }, 'sarif')) as {
      runs: { invocations: { executionSuccessful: boolean }[] }[];
    };
    const validate = sarifValidator();
    assert.ok(validate(sarif), JSON.stringify(validate.errors));
    assert.equal(sarif.runs[0]!.invocations[0]!.executionSuccessful, false);
    assert.equal(await failureDocument({ code: 'E_USAGE', message: 'bad flag' }, null), '');
  });

  test('asFailure: typed errors and raw errno errors are failures (one mapping); a bug is not', () => {
    assert.deepEqual(asFailure(new GokilnError('E_EXISTS', 'Dockerfile exists', { file: 'Dockerfile' })), {
      code: 'E_EXISTS',
      message: 'Dockerfile exists',
      file: 'Dockerfile',
    });
    const raw = Object.assign(new Error("EACCES: permission denied, open 'a.go'"), { code: 'EACCES', path: 'a.go' });
    assert.deepEqual(asFailure(raw), { code: 'E_PERMISSION', message: 'a.go: permission denied', file: 'a.go' });
    assert.equal(asFailure(new TypeError('x is undefined')), null);
  });

  test('withFailures: prints the failure in the format of the arguments and exits 2; a bug goes up', async () => {
    let exit = 0;
    const setExit = (c: number) => (exit = Math.max(exit, c));
    const argv = process.argv;
    process.argv = [...argv.slice(0, 2), 'plan', '--json'];
    try {
      const run = withFailures(setExit, (dir: string) => {
        throw new GokilnError('E_NOT_FOUND', `${dir}: no such file or directory`, { file: dir });
      });
      const { out, err } = await captured(() => run('nope'));
      assert.equal(exit, 2);
      assert.equal(err, 'gokiln: E_NOT_FOUND: nope: no such file or directory\n');
      assert.deepEqual(JSON.parse(out), { error: { code: 'E_NOT_FOUND', message: 'nope: no such file or directory', file: 'nope' } });
      const ok = withFailures(setExit, () => undefined);
      exit = 0;
      assert.deepEqual(await captured(() => ok()), { out: '', err: '' });
      assert.equal(exit, 0);
      const bug = withFailures(setExit, () => {
        throw new TypeError('a bug');
      });
      await assert.rejects(bug(), TypeError);
      assert.equal(exit, 0);
    } finally {
      process.argv = argv;
    }
  });
});
