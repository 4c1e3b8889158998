/**
 * The verify matrix (issue #13 point 3): each image is judged statically, started by `gokiln verify --run`
 * (bubblewrap) and run for real by podman with runc; the three verdicts must agree, and the message the
 * static check predicts must be what podman's run printed. Images are OCI layouts made here from the
 * harness root file systems plus Go programs built by this test (test/go/verify-probes) and fixtures.
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
import { ensureRootfs, type RootfsName } from '../harness/rootfs.js';
import { ensureDebianRoot, type DebianRootRecipe } from '../fixtures/debian-roots.js';
import { failInCiIfMissing, missingTools } from '../truth/tools.js';
import { writeLayout, type Entry, type Layer } from './layout.js';
import { buildProbe } from './probes.js';
import type { VerifyResult } from '../../src/verify/types.js';
import { lowercaseDir, podmanStorage, RUN_FLAGS } from '../harness/podman-root.js';

const CLI = fileURLToPath(new URL('../../bin/gokiln.js', import.meta.url));

interface Row {
  name: string;
  /** a harness root, or a real Debian root made by mmdebstrap (one layer, its tar as it is) */
  root: RootfsName | DebianRootRecipe;
  /** a probe built here (`probe:ok`) or a fixture name */
  binary: string;
  entrypoint?: string[];
  cmd: string[];
  /** more layers after the root and the binary at /app */
  extra?: Layer[];
  /** where the binary goes (default /app) */
  at?: string;
  runs: boolean;
  /** in the predicted message and in what podman printed */
  key?: string;
}

const ROWS: Row[] = [
  { name: 'static Go on scratch', root: 'scratch', binary: 'probe:ok', cmd: [], runs: true },
  { name: 'glibc-dynamic on scratch', root: 'scratch', binary: 'cgo-glibc', cmd: ['ok'], runs: false, key: 'no such file or directory' },
  { name: 'glibc-dynamic on a musl root', root: 'musl', binary: 'cgo-glibc', cmd: ['ok'], runs: false, key: 'no such file or directory' },
  {
    name: 'musl-dynamic on a glibc root',
    root: 'glibc-bookworm',
    binary: 'musl-dynamic',
    cmd: ['ok'],
    runs: false,
    key: 'no such file or directory',
  },
  { name: 'musl-dynamic on a musl root with certs and zoneinfo', root: 'alpine-like', binary: 'musl-dynamic', cmd: ['ok'], runs: true },
  // Debian 11's own libc6 2.31 as mmdebstrap unpacks it from the mirror, not the harness's copy of the package
  {
    name: 'GLIBC_2.34 binary on a Debian bullseye root made by mmdebstrap',
    root: { suite: 'bullseye', include: ['libc6'] },
    binary: 'cgo-glibc',
    cmd: ['ok'],
    runs: false,
    key: "version `GLIBC_2.34' not found",
  },
  {
    name: 'TLS client on a root without certificates',
    root: 'scratch',
    binary: 'probe:tlsget',
    cmd: [],
    runs: false,
    key: 'x509: certificate signed by unknown authority',
  },
  {
    name: 'time-zone program without zoneinfo',
    root: 'scratch',
    binary: 'probe:tz',
    cmd: ['Europe/Berlin'],
    runs: false,
    key: 'unknown time zone Europe/Berlin',
  },
  { name: 'arm64 binary on an amd64 image', root: 'glibc-bookworm', binary: 'arm64', cmd: ['ok'], runs: false, key: 'exec format error' },
  {
    name: 'shell-form entrypoint on a shell-less image',
    root: 'distroless-static-like',
    binary: 'probe:ok',
    entrypoint: ['/bin/sh', '-c', '/app'],
    cmd: [],
    runs: false,
    key: 'no such file or directory',
  },
  {
    name: 'a binary deleted and re-added by later layers (whiteouts)',
    root: 'scratch',
    binary: 'probe:ok',
    cmd: [],
    extra: [
      { entries: [{ name: '.wh.app', type: 'file', content: '' }] },
      { entries: [{ name: 'app', type: 'file', content: 'PROBE:ok', mode: 0o755 }] },
    ],
    runs: true,
  },
  {
    name: 'a binary deleted by a later layer',
    root: 'scratch',
    binary: 'probe:ok',
    cmd: [],
    extra: [{ entries: [{ name: '.wh.app', type: 'file', content: '' }] }],
    runs: false,
    key: 'no such file or directory',
  },
  {
    name: 'a binary reached through a symlink',
    root: 'distroless-static-like',
    binary: 'probe:ok',
    at: 'usr/local/bin/real',
    entrypoint: ['/app'],
    cmd: [],
    extra: [{ entries: [{ name: 'app', type: 'symlink', linkname: 'usr/local/bin/real' }] }],
    runs: true,
  },
];

describe('verify matrix: static verdict = bwrap run = podman run', () => {
  let dir: string;
  let podmanDir: string;
  const probes = new Map<string, Buffer>();
  let ready = false;
  const validate = new Ajv2020({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync('schemas/verify.schema.json', 'utf8')));

  before(async () => {
    const missing = missingTools(['go', 'bwrap', 'podman', 'runc', 'mmdebstrap']);
    if (missing.length) {
      failInCiIfMissing(missing.join(', '));
      return;
    }
    // podman reads `oci:PATH` as a reference too: the path must be lowercase
    dir = lowercaseDir('gokiln-matrix-');
    podmanDir = mkdtempSync(join(tmpdir(), 'gokiln-podman-'));
    for (const p of ['ok', 'tz', 'tlsget'] as const) probes.set(p, buildProbe(p, dir));
    ready = true;
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (podmanDir) {
      // vfs layers podman stored as root: its own `system reset` knows them; then the directory goes
      spawnSync('podman', [...podmanStorage(podmanDir), 'system', 'reset', '--force'], { encoding: 'utf8' });
      rmSync(podmanDir, { recursive: true, force: true });
    }
  });

  const bytesOf = (b: string): Buffer => (b.startsWith('probe:') ? probes.get(b.slice(6))! : readFileSync(fixture(b)));

  for (const [i, row] of ROWS.entries()) {
    test(row.name, async (t) => {
      if (!ready) return t.skip('go, bwrap, podman, runc or mmdebstrap missing');
      const bin = bytesOf(row.binary);
      const extra = (row.extra ?? []).map((l) => ({
        ...l,
        entries: l.entries?.map((e): Entry => (e.type === 'file' && e.content === 'PROBE:ok' ? { ...e, content: bin } : e)),
      }));
      const ref = await writeLayout(join(dir, `img${i}`), {
        layers: [
          typeof row.root === 'string'
            ? { dir: await ensureRootfs(row.root) }
            : { raw: readFileSync(await ensureDebianRoot(row.root)), gzip: false },
          { entries: [{ name: row.at ?? 'app', type: 'file', content: bin, mode: 0o755 }] },
          ...extra,
        ],
        entrypoint: row.entrypoint ?? ['/app'],
        cmd: row.cmd,
      });
      const v = spawnSync(process.execPath, [CLI, 'verify', ref, '--run', '--json', '--timeout', '20'], { encoding: 'utf8' });
      const r = JSON.parse(v.stdout) as VerifyResult;
      assert.ok(validate(r), JSON.stringify(validate.errors));
      assert.equal(v.status, row.runs ? 0 : 1, v.stderr);
      const podman = spawnSync('podman', [...podmanStorage(podmanDir), 'run', '--rm', ...RUN_FLAGS, ref], {
        encoding: 'utf8',
        timeout: 120_000,
      });
      const podmanRuns = podman.status === 0;
      const failed = r.checks.filter((c) => !c.ok && c.severity === 'error');
      const detail = `static: ${failed.map((c) => c.message).join(' | ') || 'runs'}\nbwrap: ${r.run?.exitCode} ${r.run?.stderr}\npodman: ${podman.status} ${podman.stderr
        .split('\n')
        .filter((l) => !/^(Getting|Copying|Writing|Storing)/.test(l))
        .join(' ')}`;
      assert.equal(r.verdict === 'runs', row.runs, detail);
      assert.equal(podmanRuns, row.runs, detail);
      assert.equal(r.run?.predicted, true, detail);
      if (row.key) {
        assert.ok(
          failed.some((c) => c.message.includes(row.key!)),
          `the static message names it\n${detail}`,
        );
        // bwrap's own start failure is `bwrap: execvp /app: <strerror>`: the kernel's words, capitalised; but
        // execvp retries an ENOEXEC file with /bin/sh, so in a root without a shell exec format error reads
        // ENOENT (docs/knowledge.md, surprises 8), and verify says why in a note
        const said = `${r.run?.stdout}\n${r.run?.stderr}`.toLowerCase();
        if (row.key === 'exec format error') {
          assert.match(r.run?.stderr ?? '', /^bwrap: execvp \/app: No such file or directory$/m, detail);
          assert.ok(
            r.notes.some((n) => n.startsWith("bwrap's execvp retried the file the kernel refused (ENOEXEC) with /bin/sh")),
            `${r.notes.join('\n')}\n${detail}`,
          );
        } else assert.ok(said.includes(row.key.toLowerCase()), `the bwrap run printed it\n${detail}`);
        assert.ok(podman.stderr.includes(row.key) || podman.stdout.includes(row.key), `podman printed it\n${detail}`);
      } else assert.match(podman.stdout, /ok|hello/, detail);
    });
  }
});
