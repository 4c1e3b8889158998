/**
 * verify's run options on real images:
 * - `--platform` picks a manifest from the image index `gokiln build --platform linux/amd64,linux/arm64`
 *   writes (the binary checked is that platform's ELF, and --run prints that architecture), and a platform
 *   the index lacks is E_PLATFORM naming the ones it has;
 * - `--run` of an arm64 image on this amd64 host goes through qemu-aarch64-static started explicitly inside
 *   the sandbox (binfmt_misc is not registered here): a static Go program, a glibc-dynamic cgo program on a
 *   real arm64 Debian root (mmdebstrap) that finds the image's own loader, the same program without that
 *   root, and an amd64 binary in an arm64 image. podman cannot run arm64 here (no binfmt_misc), so for these
 *   the run under the emulator is the truth; the amd64-side case (arm64 in an amd64 image) is in matrix.test.ts;
 * - `--timeout`: a program that never ends (and started a child) is killed at the timeout, reported as such,
 *   exit 0 (counted as started), and no process of it is left.
 */
import { describe, test, before, after } from 'node:test';
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { gokiln, probeProject } from '../build/helpers.js';
import { scratchDir } from '../harness/scratch.js';
import { ensureDebianRoot } from '../fixtures/debian-roots.js';
import { failInCiIfMissing, missingTools } from '../truth/tools.js';
import { writeLayout } from './layout.js';
import { buildProbe } from './probes.js';
import type { VerifyResult } from '../../src/verify/types.js';

const validate = new Ajv2020({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync('schemas/verify.schema.json', 'utf8')));

function verify(args: string[]): { status: number | null; json: VerifyResult; stderr: string; ms: number } {
  const t0 = Date.now();
  const r = gokiln(['verify', '--json', ...args]);
  const ms = Date.now() - t0;
  const json = JSON.parse(r.stdout) as VerifyResult;
  if (r.status !== 2) assert.ok(validate(json), JSON.stringify(validate.errors));
  return { status: r.status, json, stderr: r.stderr, ms };
}

const check = (r: VerifyResult, id: string) => r.checks.find((c) => c.id === id);

const missing = missingTools(['go', 'bwrap', 'qemu-aarch64-static', 'aarch64-linux-gnu-gcc', 'mmdebstrap']);
if (missing.length) failInCiIfMissing(missing.join(', '));

describe('verify --platform, --run under qemu, --timeout', { skip: missing.length ? `${missing.join(', ')} needed` : false }, () => {
  const dir = scratchDir('gokiln-verify-run-');
  let multi: string;
  let src = '';
  after(() => {
    if (src) rmSync(src, { recursive: true, force: true });
  });
  before(() => {
    src = probeProject();
    multi = join(dir, 'multi');
    const b = gokiln(['build', src, '--oci', multi, '--platform', 'linux/amd64,linux/arm64', '--tag', 'probe:1']);
    assert.equal(b.status, 0, b.stdout + b.stderr);
  });

  test('--platform picks each manifest of a multi-platform index; --run of the arm64 one runs under qemu and prints its line', () => {
    for (const arch of ['arm64', 'amd64']) {
      const r = verify([`oci:${multi}:1`, '--platform', `linux/${arch}`, '--run']);
      assert.equal(r.status, 0, r.stderr + JSON.stringify(r.json, null, 1));
      assert.equal(r.json.platform, `linux/${arch}`);
      assert.equal(r.json.verdict, 'runs');
      assert.match(
        check(r.json, 'binary-platform')!.message,
        new RegExp(`^ELF linux/${arch}, static, as the image's platform linux/${arch}$`),
      );
      // the probe prints runtime.GOARCH: the program that ran is the one of the platform asked for
      assert.match(
        r.json.run!.stdout,
        new RegExp(`^gokiln-probe uid=65532 gid=65532 arch=${arch} tz=ok certs=\\d+ wd=/home/nonroot$`, 'm'),
      );
      assert.equal(r.json.run!.exitCode, 0);
      assert.equal(r.json.run!.predicted, true);
      if (arch === 'arm64') {
        assert.match(r.json.run!.runner, /^bubblewrap \+ qemu-aarch64-static \d+\.\d+/);
        assert.ok(
          r.json.notes.some((n) => n.startsWith('ran under qemu: the image is linux/arm64, this host linux/amd64')),
          r.json.notes.join('\n'),
        );
      } else assert.equal(r.json.run!.runner, 'bubblewrap');
    }
  });

  test('a single-platform arm64 image from gokiln build --platform linux/arm64 is taken as it is (no --platform) and runs under qemu', () => {
    const one = join(dir, 'arm64-only');
    const b = gokiln(['build', src, '--oci', one, '--platform', 'linux/arm64', '--tag', 'probe:1']);
    assert.equal(b.status, 0, b.stdout + b.stderr);
    const r = verify([`oci:${one}:1`, '--run']);
    assert.equal(r.status, 0, r.stderr + JSON.stringify(r.json, null, 1));
    assert.equal(r.json.platform, 'linux/arm64');
    assert.match(r.json.run!.stdout, /^gokiln-probe uid=65532 gid=65532 arch=arm64 tz=ok certs=\d+ wd=\/home\/nonroot$/m);
    assert.match(r.json.run!.runner, /^bubblewrap \+ qemu-aarch64-static \d+\.\d+/);
    const text = gokiln(['verify', `oci:${one}:1`, '--run']);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /^run \(bubblewrap \+ qemu-aarch64-static [\d.]+\): exit code 0; the static verdict predicted it$/m);
    assert.match(text.stdout, /^note: ran under qemu: the image is linux\/arm64, this host linux\/amd64;/m);
  });

  test('a platform the index lacks is E_PLATFORM naming the platforms it has (exit 2)', () => {
    const r = gokiln(['verify', `oci:${multi}:1`, '--platform', 'linux/riscv64', '--json']);
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assert.equal(r.stderr.trim(), `gokiln: E_PLATFORM: oci:${multi}:1: no image for linux/riscv64 (it has: linux/amd64, linux/arm64)`);
    assert.equal(JSON.parse(r.stdout).error.code, 'E_PLATFORM');
  });

  test("an arm64 glibc-dynamic cgo program: runs on a real arm64 Debian root under qemu with the image's own loader; fails without it, as predicted", async () => {
    const bin = buildProbe('cgo', dir, { GOARCH: 'arm64', CGO_ENABLED: '1', CC: 'aarch64-linux-gnu-gcc' });
    const root = await ensureDebianRoot({ suite: 'bookworm', arch: 'arm64', include: ['libc6'] });
    const app = { entries: [{ name: 'app', type: 'file' as const, content: bin, mode: 0o755 }] };
    const good = await writeLayout(join(dir, 'cgo-arm64'), {
      architecture: 'arm64',
      layers: [{ raw: readFileSync(root), gzip: false }, app],
      entrypoint: ['/app'],
    });
    const r = verify([good, '--run']);
    assert.equal(r.status, 0, r.stderr + JSON.stringify(r.json, null, 1));
    assert.equal(r.json.verdict, 'runs');
    assert.equal(
      check(r.json, 'interpreter')!.message,
      '/lib/ld-linux-aarch64.so.1 resolves to /lib/aarch64-linux-gnu/ld-linux-aarch64.so.1',
    );
    assert.match(check(r.json, 'libraries')!.message, /libc\.so\.6 \(\/(usr\/)?lib\/aarch64-linux-gnu\/libc\.so\.6\)/);
    assert.equal(r.json.run!.stdout, 'ok from C\n');
    assert.equal(r.json.run!.predicted, true);

    const bare = await writeLayout(join(dir, 'cgo-arm64-scratch'), { architecture: 'arm64', layers: [app], entrypoint: ['/app'] });
    const f = verify([bare, '--run']);
    assert.equal(f.status, 1, f.stderr);
    assert.equal(f.json.verdict, 'fails');
    assert.match(
      check(f.json, 'interpreter')!.message,
      /^exec \/app: no such file or directory \(its interpreter \/lib\/ld-linux-aarch64\.so\.1 is not in the image\)$/,
    );
    assert.notEqual(f.json.run!.exitCode, 0);
    // QEMU's words for the missing loader (the kernel's would be ENOENT from execve)
    assert.match(f.json.run!.stderr, /Could not open '\/lib\/ld-linux-aarch64\.so\.1': No such file or directory/);
    assert.equal(f.json.run!.predicted, true);
  });

  test('an amd64 binary in an arm64 image: exec format error predicted, and QEMU refuses it', async () => {
    const ref = await writeLayout(join(dir, 'amd64-in-arm64'), {
      architecture: 'arm64',
      layers: [{ entries: [{ name: 'app', type: 'file', content: buildProbe('ok', dir), mode: 0o755 }] }],
      entrypoint: ['/app'],
    });
    const r = verify([ref, '--run']);
    assert.equal(r.status, 1, r.stderr);
    assert.match(check(r.json, 'binary-platform')!.message, /exec format error \(a linux\/amd64 ELF in a linux\/arm64 image\)$/);
    assert.notEqual(r.json.run!.exitCode, 0);
    assert.match(r.json.run!.stderr, /Invalid ELF image for this architecture/);
    assert.equal(r.json.run!.predicted, true);
  });

  test('--timeout: a program that never ends is killed at the timeout, reported, exit 0 (started), and none of its processes survive', async () => {
    const marker = `gokiln-timeout-${process.pid}-${Date.now()}`;
    const ref = await writeLayout(join(dir, 'sleep'), {
      layers: [{ entries: [{ name: 'app', type: 'file', content: buildProbe('sleep', dir), mode: 0o755 }] }],
      entrypoint: ['/app'],
      cmd: ['x'],
    });
    const r = verify([ref, '--run', '--timeout', '2', '--', marker]);
    assert.equal(r.status, 0, r.stderr + JSON.stringify(r.json, null, 1));
    assert.equal(r.json.run!.timedOut, true);
    assert.equal(r.json.run!.exitCode, null);
    assert.equal(r.json.run!.timeoutSeconds, 2);
    assert.equal(r.json.run!.predicted, true);
    assert.match(r.json.run!.stdout, /^sleeping, with child \d+$/m);
    assert.ok(
      r.json.notes.includes(
        'the program was still running after 2 s and was killed (SIGKILL to the sandbox and every process in it): counted as started',
      ),
      r.json.notes.join('\n'),
    );
    assert.ok(r.ms >= 2000 && r.ms < 2000 + 15_000, `took ${r.ms} ms`);
    const text = gokiln(['verify', ref, '--run', '--timeout', '1', '--', marker]);
    assert.equal(text.status, 0, text.stderr);
    assert.match(
      text.stdout,
      /^run \(bubblewrap\): killed at the 1 s timeout \(still running: counted as started\); the static verdict predicted it$/m,
    );
    // the program and the child it started, found by the marker in their argv: none left
    const alive = readdirSync('/proc')
      .filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid)
      .filter((p) => {
        try {
          return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(marker);
        } catch {
          return false;
        }
      });
    assert.deepEqual(alive, [], 'no process of the sandbox survives');
  });
});
