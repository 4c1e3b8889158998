/**
 * `gokiln inspect --runtime oci:DIR`: a local binary judged against a real image by verify's reader and
 * checks. Its verdict must equal verify's for the same binary copied into the image, and inspect's
 * built-in debian:bullseye verdict for the bullseye root; the JSON still fits schemas/inspect.schema.json.
 */
import { describe, test, before, after } from 'node:test';
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { fixture } from '../fixtures/index.js';
import { ensureRootfs } from '../harness/rootfs.js';
import { verifyImage } from '../../src/verify/verify.js';
import { writeLayout } from './layout.js';
import type { InspectOk } from '../../src/analysis/types.js';

const CLI = fileURLToPath(new URL('../../bin/gokiln.js', import.meta.url));

describe('inspect --runtime IMAGE', () => {
  let dir: string;
  let base: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gokiln-inimage-'));
    base = await writeLayout(join(dir, 'base'), { layers: [{ dir: await ensureRootfs('glibc-bullseye') }] });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const fx of ['cgo-glibc', 'static', 'musl-dynamic']) {
    test(`${fx}: inspect on the image = verify of the image with it = the built-in debian:bullseye`, async () => {
      const r = spawnSync(process.execPath, [CLI, 'inspect', '--json', '-r', base, '-r', 'debian:bullseye', fixture(fx)], {
        encoding: 'utf8',
      });
      const out = JSON.parse(r.stdout) as InspectOk[];
      const validate = new Ajv2020({ allErrors: true, strict: false }).compile(
        JSON.parse(readFileSync('schemas/inspect.schema.json', 'utf8')),
      );
      assert.ok(validate(out), JSON.stringify(validate.errors));
      const [image, builtIn] = [
        out[0]!.runtimes.find((v) => v.name === base)!,
        out[0]!.runtimes.find((v) => v.name === 'debian:bullseye')!,
      ];
      const withIt = await writeLayout(join(dir, fx), {
        layers: [
          { dir: await ensureRootfs('glibc-bullseye') },
          { entries: [{ name: 'app', type: 'file', content: readFileSync(fixture(fx)), mode: 0o755 }] },
        ],
        entrypoint: ['/app'],
      });
      const v = await verifyImage(withIt);
      assert.equal(image.verdict, v.verdict);
      assert.equal(image.message, v.checks.find((c) => !c.ok && c.severity === 'error')?.message ?? null);
      if (fx !== 'static') assert.equal(image.reason, builtIn.reason, `${image.message} vs ${builtIn.message}`);
      assert.equal(r.status, image.verdict === 'fails' ? 1 : 0, r.stderr);
    });
  }
});
