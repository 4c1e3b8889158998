/**
 * init beside a project's own Dockerfile (issue #15 point 6): --output writes elsewhere and leaves the
 * project's files alone, its ignore file beside it; --diff writes nothing and explains each difference.
 * And the binary choice flags: --binary picks, an unknown name is a usage error (exit 2).
 */
import { test, describe } from 'node:test';
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { copyExample, needTool, run } from '../project/helpers.js';

const MAIN = fileURLToPath(new URL('../../bin/gokiln.js', import.meta.url));
const gokiln = (args: string[]) => run(process.execPath, [MAIN, ...args], { env: { ...process.env, NO_COLOR: '1', GOTOOLCHAIN: 'local' } });
const require = createRequire(import.meta.url);
const Ajv2020 = require('ajv/dist/2020.js') as typeof import('ajv').default;
const validatePlan = new Ajv2020({ allErrors: true, strict: false }).compile(
  JSON.parse(readFileSync('schemas/plan.schema.json', 'utf8')) as object,
);

/** A hand-written Dockerfile as many projects have one: cgo left on, no cache mounts, root, a fat runtime. */
const OWN =
  'FROM golang:1.26-trixie AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /out/api ./cmd/api\n\nFROM debian:trixie-slim\nCOPY --from=build /out/api /api\nENTRYPOINT ["/api"]\n';

describe('init beside an existing Dockerfile', { skip: needTool('go') ? false : 'go not installed' }, () => {
  test("--output PATH writes there with PATH.dockerignore; the project's Dockerfile and .dockerignore stay untouched", () => {
    const dir = copyExample('multi-cmd');
    try {
      writeFileSync(join(dir, 'Dockerfile'), OWN);
      writeFileSync(join(dir, '.dockerignore'), 'mine\n');
      const r = gokiln(['init', dir, '--output', 'deploy/gokiln.Dockerfile']);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(readFileSync(join(dir, 'Dockerfile'), 'utf8'), OWN);
      assert.equal(readFileSync(join(dir, '.dockerignore'), 'utf8'), 'mine\n');
      assert.match(readFileSync(join(dir, 'deploy', 'gokiln.Dockerfile'), 'utf8'), /^FROM runtime AS api$/m);
      assert.ok(existsSync(join(dir, 'deploy', 'gokiln.Dockerfile.dockerignore')));
      assert.match(r.stdout, /docker build -f \S+deploy\/gokiln\.Dockerfile --target api/);
      for (const bad of ['/tmp/x', '../x', '']) {
        const e = gokiln(['init', dir, '--output', bad]);
        assert.equal(e.status, 2, `${bad}: ${e.stdout}${e.stderr}`);
        assert.match(e.stderr, /E_USAGE/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("--diff lists lint findings and the plan's differences (runtime, user, cgo, cache), writes nothing, exit 0", () => {
    const dir = copyExample('multi-cmd');
    try {
      writeFileSync(join(dir, 'Dockerfile'), OWN);
      const before = readdirSync(dir).sort();
      const r = gokiln(['init', dir, '--diff']);
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(readdirSync(dir).sort(), before, 'nothing written');
      const kinds = [...r.stdout.matchAll(/: \[(\w+)/g)].map((m) => m[1]);
      for (const k of ['runtime', 'user', 'cgo', 'cache']) assert.ok(kinds.includes(k), `${k} in ${r.stdout}`);
      assert.match(
        r.stdout,
        /Dockerfile:6: \[runtime\] the final stage runs on debian:trixie-slim\n\s+gokiln: api on gcr\.io\/distroless\/static-debian13:nonroot/,
      );
      assert.match(r.stdout, /\[cgo\] CGO_ENABLED is not set/);
      const j = gokiln(['init', dir, '--diff', '--json']);
      const doc = JSON.parse(j.stdout) as { schema: string; items: Array<{ kind: string; line: number | null }> };
      assert.equal(doc.schema, 'gokiln/init-diff@1');
      assert.deepEqual(
        doc.items.map((i) => i.kind).filter((k) => k !== 'lint'),
        kinds.filter((k) => k !== 'lint'),
      );
      rmSync(join(dir, 'Dockerfile'));
      const missing = gokiln(['init', dir, '--diff']);
      assert.equal(missing.status, 2);
      assert.match(missing.stderr, /E_NOT_FOUND/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('--binary picks the commands (the main one is the last chosen); an unknown name is E_USAGE, exit 2', () => {
    const dir = copyExample('multi-cmd');
    try {
      const p = gokiln(['plan', dir, '--binary', 'worker', '--json']);
      assert.equal(p.status, 0, p.stderr);
      const plan = JSON.parse(p.stdout) as {
        binaries: Array<{ binary: string; selected: boolean; main: boolean }>;
        mainBinary: { name: string };
      };
      assert.ok(validatePlan(plan), JSON.stringify(validatePlan.errors));
      assert.deepEqual(
        plan.binaries.map((b) => [b.binary, b.selected, b.main]),
        [
          ['api', false, false],
          ['worker', true, true],
        ],
      );
      const bad = gokiln(['init', dir, '--binary', 'nope']);
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /E_USAGE: --binary nope: no such command in this module; its commands are api, worker/);
      assert.ok(!existsSync(join(dir, 'Dockerfile')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
