/**
 * `gokiln build` of a cgo program on a given base: the image (base + app layer) is judged by verify's static
 * checks before it is written. Each base's verdict is checked against the truth: the same binary, compiled
 * here with the same flags, started with a bare execve (as runc does) in the root file system the base was
 * made from. A base that fits is built on and the image runs (bubblewrap through `gokiln verify --run`, and
 * podman for the distroless stand-in as uid 65532); one that does not is refused with the message the
 * container prints, and nothing is written.
 *
 * Bases: Debian 12's libc6 (2.36, the host's), Debian 11's (2.31: older than the GLIBC_2.34 a bookworm cgo
 * binary needs), a musl root (Alpine's loader), the embedded static base (no libc), the distroless
 * base-debian13 stand-in of test/fixtures/base-images.ts. A musl cgo binary (CC=musl-gcc) the other way round.
 */
import { test, describe, before, after } from 'node:test';
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { needTool } from '../project/helpers.js';
import { gokilnAsync, podman, probeProject, RUN_FLAGS } from './helpers.js';
import { scratchDir } from '../harness/scratch.js';
import { ensureRootfs, runInRootfs, type RootfsName } from '../harness/rootfs.js';
import { ensureBaseImage, rootfsArchive } from '../fixtures/base-images.js';

const CGO_MAIN = `package main

// #include <unistd.h>
// static int answer(void) { return 42; }
import "C"

import "fmt"

func main() { fmt.Printf("cgo answer=%d uid=%d\\n", C.answer(), C.getuid()) }
`;
const json = <T>(s: string): T => JSON.parse(s) as T;
const missing = ['go', 'gcc', 'bwrap', 'tar', 'dpkg-query'].filter((t) => !needTool(t));

interface Truth {
  ok: boolean;
  /** the run-time message, with the binary's path as it is in the image */
  message: string;
}

describe(
  'gokiln build: a cgo binary on a given base is checked against the base libc',
  { skip: missing.length ? `needs ${missing.join(', ')}` : false },
  () => {
    const work = scratchDir('gokiln-build-cgo-base-');
    const src = probeProject({}, CGO_MAIN);
    const bases = new Map<string, { arg: string | null; root: string }>();
    const binaries: Record<'glibc' | 'musl', string> = { glibc: join(work, 'cgo-glibc'), musl: join(work, 'cgo-musl') };
    after(() => rmSync(src, { recursive: true, force: true }));

    before(async () => {
      const roots: RootfsName[] = ['glibc-bookworm', 'glibc-bullseye', 'musl', 'distroless-static-like'];
      for (const name of roots) {
        const root = await ensureRootfs(name);
        // the embedded base holds what distroless/static does: no loader, no libc (its truth is that stand-in's root)
        bases.set(name, {
          arg:
            name === 'distroless-static-like'
              ? null
              : `docker-archive:${await rootfsArchive(root, join(work, `${name}.tar`), `base/${name}:1`)}`,
          root,
        });
      }
      const env = { ...process.env, CGO_ENABLED: '1', GOTOOLCHAIN: 'local' };
      execFileSync('go', ['build', '-trimpath', '-o', binaries.glibc, '.'], { cwd: src, env, stdio: 'pipe' });
      if (needTool('musl-gcc'))
        execFileSync('go', ['build', '-trimpath', '-o', binaries.musl, '.'], { cwd: src, env: { ...env, CC: 'musl-gcc' }, stdio: 'pipe' });
    });

    /** The truth: the binary started by a bare execve in the base's root, messages naming /app/probe as the image does. */
    function truth(bin: string, root: string): Truth {
      const r = runInRootfs(root, bin, [], { exec: 'runc-like', uid: 65532 });
      const message = (r.stdout + r.stderr).trim().replace(/\/app\b/g, '/app/probe');
      return { ok: r.exitCode === 0, message };
    }

    async function buildOn(base: string | null, out: string, env: NodeJS.ProcessEnv = {}) {
      const r = await gokilnAsync(
        ['build', src, ...(base ? ['--base', base] : []), '--oci', out, '--tag', 'cgo:1', '--sbom', 'none', '--json'],
        env,
      );
      return {
        ...r,
        result: r.stdout ? json<{ error?: { code: string; message: string }; digest?: string; notes?: string[] }>(r.stdout) : null,
      };
    }

    const cases: Array<{ libc: 'glibc' | 'musl'; base: RootfsName; runs: boolean; expect: RegExp }> = [
      { libc: 'glibc', base: 'glibc-bookworm', runs: true, expect: /^cgo answer=42 uid=65532$/ },
      {
        libc: 'glibc',
        base: 'glibc-bullseye',
        runs: false,
        expect: /^\/app\/probe: \/lib\/x86_64-linux-gnu\/libc\.so\.6: version `GLIBC_2\.3[4-9]' not found \(required by \/app\/probe\)/m,
      },
      { libc: 'glibc', base: 'musl', runs: false, expect: /^exec \/app\/probe: no such file or directory$/m },
      { libc: 'glibc', base: 'distroless-static-like', runs: false, expect: /^exec \/app\/probe: no such file or directory$/m },
      { libc: 'musl', base: 'musl', runs: true, expect: /^cgo answer=42 uid=65532$/ },
      { libc: 'musl', base: 'glibc-bookworm', runs: false, expect: /^exec \/app\/probe: no such file or directory$/m },
    ];

    for (const c of cases) {
      const label = c.base === 'distroless-static-like' ? 'the embedded base' : c.base;
      test(`${c.libc} cgo binary on ${label}: ${c.runs ? 'built, and it runs' : 'refused with the run-time message'}`, async (t) => {
        if (c.libc === 'musl' && !needTool('musl-gcc')) return t.skip('musl-gcc needed');
        const { arg, root } = bases.get(c.base)!;
        const real = truth(binaries[c.libc], root);
        assert.equal(real.ok, c.runs, `the truth run on ${c.base}: ${real.message}`);
        assert.match(real.message, c.expect, 'the truth run says what the case expects');

        const out = join(work, `out-${c.libc}-${c.base}`);
        const r = await buildOn(arg, out, c.libc === 'musl' ? { CC: 'musl-gcc' } : {});
        if (!c.runs) {
          assert.equal(r.status, 2, r.stdout + r.stderr);
          assert.equal(r.result?.error?.code, 'E_BUILD');
          const msg = r.result!.error!.message;
          // the exact line the container prints, as the truth run printed it
          const line = real.message.split('\n').find((l) => c.expect.test(l))!;
          assert.ok(msg.includes(line), `the build names the run-time message ${JSON.stringify(line)}:\n${msg}`);
          assert.match(msg, /fix: /);
          assert.equal(existsSync(out), false, 'nothing written');
          return;
        }
        assert.equal(r.status, 0, r.stdout + r.stderr);
        const v = await gokilnAsync(['verify', `oci:${out}:1`, '--run', '--json']);
        const vr = json<{ verdict: string; run?: { exitCode: number | null; stdout: string; predicted: boolean } }>(v.stdout);
        assert.equal(vr.verdict, 'runs', v.stdout);
        assert.equal(vr.run?.exitCode, 0, v.stdout + v.stderr);
        assert.match(vr.run!.stdout.trim(), /^cgo answer=42 uid=65532$/);
      });
    }

    test(
      'glibc cgo binary on the distroless base-debian13 stand-in: built, loaded and run by podman as uid 65532',
      { skip: needTool('podman') && needTool('runc') && needTool('mmdebstrap') ? false : 'podman, runc and mmdebstrap needed' },
      async () => {
        const base = await ensureBaseImage('gcr.io/distroless/base-debian13:nonroot');
        const archive = join(work, 'on-distroless.tar');
        const r = await gokilnAsync([
          'build',
          src,
          '--base',
          `docker-archive:${base}`,
          '--archive',
          archive,
          '--tag',
          'cgo:distroless',
          '--sbom',
          'none',
          '--json',
        ]);
        assert.equal(r.status, 0, r.stdout + r.stderr);
        const root = join(work, 'podman');
        const load = podman(root, ['load', '-i', archive]);
        assert.equal(load.status, 0, load.stderr);
        const run = podman(root, ['run', '--rm', ...RUN_FLAGS, 'cgo:distroless']);
        assert.equal(run.status, 0, run.stderr);
        assert.equal(run.stdout, 'cgo answer=42 uid=65532\n');
      },
    );
  },
);
