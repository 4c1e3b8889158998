/**
 * One errno mapping for every command (issue #11, point 5): an unreadable file, a directory where a file is
 * expected and a file where a directory is expected give the same gokiln code and exit status 2 in inspect,
 * size, lint, doctor, plan and init, one `gokiln: E_CODE: path: …` line on stderr and never a stack trace;
 * with --json, the error is the one shape of schemas/error.schema.json (inspect: per file; lint: a GK000
 * finding naming the code). Runs as a non-root user, since root reads a mode-000 file.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { fixture } from '../fixtures/index.js';
import { asNonRoot } from '../harness/nonroot.js';
import { missingTools } from '../truth/tools.js';

const CLI = fileURLToPath(new URL('../../bin/gokiln.js', import.meta.url));
const validateError = new Ajv2020({ strict: false }).compile(JSON.parse(readFileSync('schemas/error.schema.json', 'utf8')) as object);

type Case = 'unreadable' | 'directory for a file' | 'file for a directory';
const EXPECTED: Record<Case, string> = {
  unreadable: 'E_PERMISSION',
  'directory for a file': 'E_IS_DIRECTORY',
  'file for a directory': 'E_NOT_DIRECTORY',
};

let dir = '';
function gokiln(args: string[]) {
  const r = asNonRoot(process.execPath, [CLI, ...args], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1', HOME: dir, XDG_CACHE_HOME: join(dir, '.cache'), GOCACHE: join(dir, '.gocache') },
  });
  assert.equal(r.spawnError, undefined, r.spawnError);
  return r;
}

/** The arguments each command gets for each case, relative to the work directory. */
const COMMANDS: Record<string, Record<Case, string[]>> = {
  inspect: {
    unreadable: ['inspect', 'noperm'],
    'directory for a file': ['inspect', 'adir'],
    'file for a directory': ['inspect', 'afile/app'],
  },
  size: { unreadable: ['size', 'noperm'], 'directory for a file': ['size', 'adir'], 'file for a directory': ['size', 'afile/app'] },
  lint: {
    unreadable: ['lint', 'noperm.Dockerfile'],
    'directory for a file': ['lint', '--config', 'adir', 'Dockerfile'],
    'file for a directory': ['lint', '--context', 'afile', 'Dockerfile'],
  },
  doctor: {
    unreadable: ['doctor', 'proj-noperm'],
    'directory for a file': ['doctor', 'proj-moddir'],
    'file for a directory': ['doctor', 'afile'],
  },
  plan: {
    unreadable: ['plan', '--no-go', 'proj-nogo'],
    'directory for a file': ['plan', 'proj-moddir'],
    'file for a directory': ['plan', 'afile'],
  },
  init: {
    unreadable: ['init', '--dry-run', 'proj-nogo'],
    'directory for a file': ['init', '--dry-run', 'proj-moddir'],
    'file for a directory': ['init', '--dry-run', 'afile'],
  },
};

describe('every command meets bad paths with one code and exit 2', () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'gokiln-errors-'));
    copyFileSync(fixture('static'), join(dir, 'noperm'));
    mkdirSync(join(dir, 'adir'));
    writeFileSync(join(dir, 'afile'), 'a file\n');
    writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\nCOPY app /app\nUSER 65532\nENTRYPOINT ["/app"]\n');
    writeFileSync(join(dir, 'noperm.Dockerfile'), 'FROM scratch\n');
    const project = (name: string) => {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, 'go.mod'), 'module example.com/hello\n\ngo 1.24\n');
      writeFileSync(join(dir, name, 'main.go'), 'package main\n\nfunc main() {}\n');
    };
    project('proj-noperm');
    project('proj-nogo');
    mkdirSync(join(dir, 'proj-moddir'));
    mkdirSync(join(dir, 'proj-moddir', 'go.mod'));
    writeFileSync(join(dir, 'proj-moddir', 'main.go'), 'package main\n\nfunc main() {}\n');
    chmodSync(dir, 0o777);
    for (const p of ['noperm', 'noperm.Dockerfile', 'proj-noperm/go.mod', 'proj-nogo/main.go']) chmodSync(join(dir, p), 0o000);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('setpriv is there to drop root', () => {
    if (missingTools(['setpriv']).length) assert.fail('setpriv (util-linux) missing: the unreadable-file cases cannot run');
  });

  for (const [command, cases] of Object.entries(COMMANDS)) {
    for (const [name, args] of Object.entries(cases) as Array<[Case, string[]]>) {
      test(`${command}: ${name} → ${EXPECTED[name]}, exit 2`, () => {
        const code = EXPECTED[name];
        const text = gokiln(args);
        assert.equal(text.exitCode, 2, `${args.join(' ')}: ${text.stderr}`);
        assert.doesNotMatch(text.stderr, /internal error|\n\s+at /, 'no stack trace');
        const lines = text.stderr.trim().split('\n');
        assert.equal(lines.length, 1, text.stderr);
        assert.match(lines[0]!, new RegExp(`^gokiln: ${code}: \\S+`), text.stderr);

        const json = gokiln([...args.slice(0, 1), '--json', ...args.slice(1)]);
        assert.equal(json.exitCode, 2);
        assert.equal(json.stderr, text.stderr, 'the same error line with --json');
        const doc = JSON.parse(json.stdout) as unknown;
        if (command === 'inspect') {
          const [item] = doc as Array<{ file: string; error: { code: string } }>;
          assert.equal(item!.error.code, code);
        } else if (command === 'lint') {
          // a path that cannot be read is a GK000 finding naming the code; a bad --config or --context stops the run
          const findings = doc as Array<{ rule: string; message: string }> | { error: { code: string } };
          if (Array.isArray(findings))
            assert.ok(
              findings.some((f) => f.rule === 'GK000' && f.message.includes(`(${code})`)),
              json.stdout,
            );
          else assert.equal(findings.error.code, code);
        } else {
          assert.ok(validateError(doc), JSON.stringify(validateError.errors));
          assert.equal((doc as { error: { code: string } }).error.code, code);
        }
      });
    }
  }
});
