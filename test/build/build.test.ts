/**
 * `gokiln build` end to end, checked by real consumers: skopeo and umoci read the OCI layout, podman (runc)
 * loads the docker-archive and runs the image, `go version -m` and `readelf` tell what the binaries are, and
 * qemu-aarch64 runs the arm64 one. Two source directories give the same digest.
 */
import { test, describe, before, after } from 'node:test';
import { strict as assert } from 'node:assert';
import { createRequire } from 'node:module';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { needTool } from '../project/helpers.js';
import { ETC_GROUP, ETC_PASSWD } from '../../src/image/base/etc-files.js';
import { gokiln, podman, probeProject, RUN_FLAGS } from './helpers.js';

const require = createRequire(import.meta.url);
const Ajv2020 = require('ajv/dist/2020.js') as typeof import('ajv').default;
const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync('schemas/build.schema.json', 'utf8')) as object);

const sh = (cmd: string, args: string[], opts: { cwd?: string } = {}) => {
  const r = spawnSync(cmd, args, {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    timeout: 5 * 60_000,
    env: { ...process.env, TZ: 'UTC' },
    ...opts,
  });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stderr}${r.error?.message ?? ''}`);
  return r.stdout;
};
const json = <T>(s: string) => JSON.parse(s) as T;
const blob = (layout: string, digest: string) => join(layout, 'blobs', 'sha256', digest.replace('sha256:', ''));
const HOST_ARCH = process.arch === 'arm64' ? 'arm64' : 'amd64';

interface Built {
  digest: string;
  mediaType: string;
  platforms: Array<{
    platform: string;
    manifest: string;
    config: string;
    layers: Array<{ digest: string }>;
    binaries: Array<{ path: string }>;
  }>;
  sbom: { tag: string } | null;
}

function build(args: string[]): Built {
  const r = gokiln(['build', ...args, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const out = json<Built>(r.stdout);
  assert.ok(validate(out), JSON.stringify(validate.errors));
  return out;
}

describe('gokiln build on the embedded base', () => {
  const work = mkdtempSync(join(tmpdir(), 'gokiln-build-test-'));
  let srcA = '';
  let srcB = '';
  let single: Built | null = null;
  const tools = {
    go: needTool('go'),
    skopeo: needTool('skopeo'),
    umoci: needTool('umoci'),
    podman: needTool('podman'),
    runc: needTool('runc'),
    tar: needTool('tar'),
    readelf: needTool('readelf'),
    qemu: needTool('qemu-aarch64'),
  };
  const missing = (...names: Array<keyof typeof tools>) => names.filter((n) => !tools[n]).join(', ') || false;
  before(() => {
    srcA = probeProject();
    srcB = mkdtempSync(join(tmpdir(), 'gokiln-build-src-other-'));
    cpSync(srcA, srcB, { recursive: true });
  });
  after(() => {
    for (const d of [work, srcA, srcB]) rmSync(d, { recursive: true, force: true });
  });

  test(
    'an OCI layout skopeo and umoci read: nonroot, /app/probe 0755 root, distroless users; the same digest from two source directories',
    { skip: missing('go', 'skopeo', 'umoci', 'tar') },
    () => {
      // without the layer cache, so the second build compresses its layer again (layer-cache.test.ts: with it)
      const a = build([srcA, '--oci', join(work, 'a'), '--tag', 'probe:1', '--no-cache']);
      const b = build([srcB, '--oci', join(work, 'b'), '--tag', 'probe:1', '--no-cache']);
      single = a;
      assert.equal(a.digest, b.digest, 'same sources, same Go, two directories → one digest');
      assert.equal(a.mediaType, 'application/vnd.oci.image.manifest.v1+json');
      const layout = join(work, 'a');
      const insp = json<{ Digest: string; Architecture: string; Os: string; Layers: string[] }>(
        sh('skopeo', ['inspect', `oci:${layout}:1`]),
      );
      assert.equal(insp.Digest, a.digest);
      assert.equal(insp.Architecture, HOST_ARCH);
      assert.equal(insp.Os, 'linux');
      assert.equal(insp.Layers.length, 2);
      const cfg = json<{
        created: string;
        config: { User: string; Entrypoint: string[]; WorkingDir: string; Env: string[] };
        history: unknown[];
        rootfs: { diff_ids: string[] };
      }>(sh('skopeo', ['inspect', '--config', `oci:${layout}:1`]));
      assert.equal(cfg.config.User, '65532:65532');
      assert.deepEqual(cfg.config.Entrypoint, ['/app/probe']);
      assert.equal(cfg.config.WorkingDir, '/home/nonroot');
      assert.ok(cfg.config.Env.includes('SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt'));
      assert.equal(cfg.history.length, cfg.rootfs.diff_ids.length, 'one history entry per layer');
      assert.equal(cfg.created, '1970-01-01T00:00:00Z', 'no SOURCE_DATE_EPOCH, no VCS: time 0');
      const manifest = json<{ annotations: Record<string, string> }>(readFileSync(blob(layout, a.digest), 'utf8'));
      assert.equal(
        manifest.annotations['org.opencontainers.image.base.digest'],
        (a.platforms[0] as unknown as { baseDigest: string }).baseDigest,
      );
      assert.match(manifest.annotations['org.opencontainers.image.base.name']!, /^gokiln\/embedded-base:\d{4}-\d{2}-\d{2}$/);
      // the layers as tar lists them: owners, modes, one mtime
      const appLayer = blob(layout, a.platforms[0]!.layers[1]!.digest);
      assert.match(
        sh('tar', ['-tvzf', appLayer]),
        /^drwxr-xr-x 0\/0 +0 1970-01-01 00:00 app\/\n-rwxr-xr-x 0\/0 +\d+ 1970-01-01 00:00 app\/probe\n$/,
      );
      const baseList = sh('tar', ['-tvzf', blob(layout, a.platforms[0]!.layers[0]!.digest)]);
      assert.match(baseList, /^drwx------ 65532\/65532 +0 [\d-]+ [\d:]+ home\/nonroot\/$/m);
      assert.match(baseList, /^drwxrwxrwt 0\/0 +0 [\d-]+ [\d:]+ tmp\/$/m);
      // umoci unpacks it into a runtime bundle
      const bundle = join(work, 'bundle');
      sh('umoci', ['unpack', '--rootless', '--image', `${layout}:1`, bundle]);
      const root = join(bundle, 'rootfs');
      assert.equal(readFileSync(join(root, 'etc/passwd'), 'utf8'), ETC_PASSWD);
      assert.equal(readFileSync(join(root, 'etc/group'), 'utf8'), ETC_GROUP);
      assert.equal(statSync(join(root, 'app/probe')).mode & 0o7777, 0o755);
      assert.ok(statSync(join(root, 'usr/share/zoneinfo/Europe/Berlin')).size > 1000);
      assert.match(readFileSync(join(root, 'etc/ssl/certs/ca-certificates.crt'), 'utf8'), /^-----BEGIN CERTIFICATE-----/);
      // what the Go linker recorded: -trimpath, cgo off, the platform
      const m = sh('go', ['version', '-m', join(root, 'app/probe')]);
      for (const want of ['-trimpath=true', 'CGO_ENABLED=0', `GOARCH=${HOST_ARCH}`, 'GOOS=linux', 'path\texample.com/probe'])
        assert.ok(m.includes(want), `${want} in:\n${m}`);
    },
  );

  test('the SPDX 2.3 SBOM in the layout names the Go that built the binary, tagged sha256-<hex>.sbom', { skip: missing('go') }, () => {
    assert.ok(single?.sbom, 'the layout test ran first');
    const layout = join(work, 'a');
    const index = json<{ manifests: Array<{ digest: string; annotations: Record<string, string> }> }>(
      readFileSync(join(layout, 'index.json'), 'utf8'),
    );
    const ref = index.manifests.find((d) => d.annotations['org.opencontainers.image.ref.name'] === single!.sbom!.tag);
    assert.ok(ref, 'the SBOM is listed under its tag');
    const art = json<{ artifactType: string; subject: { digest: string }; layers: Array<{ digest: string }> }>(
      readFileSync(blob(layout, ref.digest), 'utf8'),
    );
    assert.equal(art.artifactType, 'application/spdx+json');
    assert.equal(art.subject.digest, single!.digest);
    const spdx = json<{ spdxVersion: string; packages: Array<{ name: string; versionInfo?: string }>; relationships: unknown[] }>(
      readFileSync(blob(layout, art.layers[0]!.digest), 'utf8'),
    );
    assert.equal(spdx.spdxVersion, 'SPDX-2.3');
    const goVersion = /^\S+: (go\S+)/.exec(sh('go', ['version', '-m', join(work, 'bundle/rootfs/app/probe')]))?.[1];
    assert.ok(
      spdx.packages.some((p) => p.name === 'stdlib' && p.versionInfo === goVersion),
      `stdlib ${goVersion}`,
    );
    assert.ok(
      spdx.packages.some((p) => p.name === 'tzdata'),
      'the base packages are listed',
    );
  });

  test(
    'a docker-archive that podman loads and runs as uid 65532, with zoneinfo and CA certificates; it is also an OCI archive',
    { skip: missing('go', 'skopeo', 'podman', 'runc') },
    () => {
      const file = join(work, 'probe.tar');
      const r = build([srcA, '--archive', file, '--tag', 'probe:1']);
      if (single) assert.equal(r.digest, single.digest, 'the archive holds the image the layout holds');
      assert.equal(json<{ Architecture: string }>(sh('skopeo', ['inspect', `docker-archive:${file}`])).Architecture, HOST_ARCH);
      assert.equal(json<{ Digest: string }>(sh('skopeo', ['inspect', `oci-archive:${file}:probe:1`])).Digest, r.digest);
      const pod = join(work, 'podman');
      const load = podman(pod, ['load', '-i', file]);
      assert.equal(load.status, 0, load.stderr);
      assert.match(load.stdout, /Loaded image: localhost\/probe:1/);
      const run = podman(pod, ['run', '--rm', ...RUN_FLAGS, 'localhost/probe:1']);
      assert.equal(run.status, 0, run.stderr);
      const m = /^gokiln-probe uid=(\d+) gid=(\d+) arch=(\w+) tz=(.*) certs=(\d+) wd=(\S+)$/m.exec(run.stdout);
      assert.ok(m, run.stdout);
      assert.deepEqual(m.slice(1, 5), ['65532', '65532', HOST_ARCH, 'ok']);
      assert.ok(Number(m[5]) > 100, `${m[5]} CA certificates`);
      assert.equal(m[6], '/home/nonroot');
    },
  );

  test(
    'two platforms give an image index; the arm64 binary is arm64 (readelf, go version -m) and runs under qemu-aarch64',
    { skip: missing('go', 'skopeo', 'tar', 'readelf', 'qemu') },
    () => {
      const layout = join(work, 'multi');
      const r = build([srcA, '--oci', layout, '--tag', 'probe:1', '--platform', 'linux/amd64,linux/arm64']);
      assert.equal(r.mediaType, 'application/vnd.oci.image.index.v1+json');
      const raw = json<{ manifests: Array<{ digest: string; platform: { architecture: string; os: string } }> }>(
        sh('skopeo', ['inspect', '--raw', `oci:${layout}:1`]),
      );
      assert.deepEqual(
        raw.manifests.map((m) => `${m.platform.os}/${m.platform.architecture}`),
        ['linux/amd64', 'linux/arm64'],
      );
      if (single && HOST_ARCH === 'amd64')
        assert.equal(raw.manifests[0]!.digest, single.digest, 'the amd64 image is the one the single-platform build made');
      assert.equal(
        json<{ Architecture: string }>(sh('skopeo', ['inspect', '--override-arch', 'arm64', `oci:${layout}:1`])).Architecture,
        'arm64',
      );
      const arm = r.platforms.find((p) => p.platform === 'linux/arm64')!;
      const out = join(work, 'arm64-root');
      mkdirSync(out);
      sh('tar', ['-xzf', blob(layout, arm.layers.at(-1)!.digest), '-C', out]);
      const bin = join(out, 'app/probe');
      assert.match(sh('readelf', ['-h', bin]), /Machine:\s+AArch64/);
      assert.ok(sh('go', ['version', '-m', bin]).includes('GOARCH=arm64'));
      assert.match(sh('qemu-aarch64', [bin]), /^gokiln-probe uid=\d+ gid=\d+ arch=arm64 tz=/);
    },
  );
});

describe('gokiln build --media-types docker', () => {
  test(
    'every document and layer has a Docker v2 type, none an OCI one (never mixed); annotations are dropped',
    { skip: needTool('go') ? false : 'go needed' },
    () => {
      const src = probeProject();
      const out = mkdtempSync(join(tmpdir(), 'gokiln-build-docker-'));
      try {
        const r = build([
          src,
          '--oci',
          join(out, 'l'),
          '--media-types',
          'docker',
          '--sbom',
          'none',
          '--platform',
          'linux/amd64,linux/arm64',
        ]);
        const read = (d: string) => json<Record<string, unknown>>(readFileSync(blob(join(out, 'l'), d), 'utf8'));
        const index = read(r.digest) as { mediaType: string; manifests: Array<{ mediaType: string; digest: string }> };
        assert.equal(index.mediaType, 'application/vnd.docker.distribution.manifest.list.v2+json');
        for (const m of index.manifests) {
          assert.equal(m.mediaType, 'application/vnd.docker.distribution.manifest.v2+json');
          const man = read(m.digest) as { config: { mediaType: string }; layers: Array<{ mediaType: string }>; annotations?: unknown };
          assert.equal(man.config.mediaType, 'application/vnd.docker.container.image.v1+json');
          assert.deepEqual([...new Set(man.layers.map((l) => l.mediaType))], ['application/vnd.docker.image.rootfs.diff.tar.gzip']);
          assert.equal(man.annotations, undefined);
        }
      } finally {
        rmSync(src, { recursive: true, force: true });
        rmSync(out, { recursive: true, force: true });
      }
    },
  );
});

describe('gokiln build refuses bad input with a typed error and writes nothing', () => {
  const work = mkdtempSync(join(tmpdir(), 'gokiln-build-fault-'));
  after(() => rmSync(work, { recursive: true, force: true }));
  const leftovers = () => readdirSync(work).filter((n) => n.startsWith('.gokiln'));
  const fails = (args: string[], code: string, re: RegExp) => {
    const r = gokiln(['build', ...args]);
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assert.match(r.stderr, new RegExp(`gokiln: ${code}: `));
    assert.match(r.stderr, re);
    return r;
  };

  test('no main package: E_UNSUPPORTED', { skip: needTool('go') ? false : 'go needed' }, () => {
    const src = probeProject({}, 'package lib\n\nfunc F() int { return 1 }\n');
    try {
      fails([src, '--oci', join(work, 'out')], 'E_UNSUPPORTED', /no main package/);
      assert.equal(existsSync(join(work, 'out')), false);
      assert.deepEqual(leftovers(), []);
    } finally {
      rmSync(src, { recursive: true, force: true });
    }
  });

  test(
    "a compile error: E_BUILD with the compiler's own message, no output, no staging left",
    { skip: needTool('go') ? false : 'go needed' },
    () => {
      const src = probeProject({}, 'package main\n\nfunc main() { nope() }\n');
      try {
        const r = fails([src, '--oci', join(work, 'out'), '--json'], 'E_BUILD', /undefined: nope/);
        assert.equal(json<{ error: { code: string } }>(r.stdout).error.code, 'E_BUILD');
        assert.equal(existsSync(join(work, 'out')), false);
        assert.deepEqual(leftovers(), []);
      } finally {
        rmSync(src, { recursive: true, force: true });
      }
    },
  );

  test('an existing output is kept without --force (E_EXISTS) and replaced with it', { skip: needTool('go') ? false : 'go needed' }, () => {
    const src = probeProject();
    const target = join(work, 'existing.tar');
    try {
      writeFileSync(target, 'mine');
      fails([src, '--archive', target], 'E_EXISTS', /--force/);
      assert.equal(readFileSync(target, 'utf8'), 'mine');
      const r = gokiln(['build', src, '--archive', target, '--force']);
      assert.equal(r.status, 0, r.stderr);
      assert.notEqual(readFileSync(target).subarray(0, 4).toString(), 'mine');
      assert.deepEqual(
        readdirSync(work).filter((n) => n.includes('.gokiln-')),
        [],
      );
    } finally {
      rmSync(src, { recursive: true, force: true });
    }
  });

  test(
    'cgo on the embedded base, other paradigms and bases, and a bad platform are clear errors naming what is missing',
    { skip: needTool('go') ? false : 'go needed' },
    () => {
      const cgo = probeProject({}, 'package main\n\n// int two() { return 2; }\nimport "C"\n\nfunc main() { println(C.two()) }\n');
      const plain = probeProject();
      try {
        // cgo on the embedded base: the image is judged before it is written (build-cgo-base.test.ts has every base)
        fails([cgo, '--oci', join(work, 'o1')], 'E_BUILD', /exec \/app\/probe: no such file or directory[^]*--paradigm ubuntu/);
        fails([plain, '--oci', join(work, 'o3'), '--base', `oci:${work}/nothing`], 'E_NOT_FOUND', /nothing: no such OCI layout directory/);
        fails([plain, '--oci', join(work, 'o4'), '--platform', 'windows/amd64'], 'E_USAGE', /linux\/amd64/);
        fails([plain, '--oci', join(work, 'o5'), '--archive', join(work, 'o5.tar')], 'E_USAGE', /exactly one output/);
        assert.deepEqual(
          readdirSync(work).filter((n) => n.startsWith('o')),
          [],
        );
      } finally {
        rmSync(cgo, { recursive: true, force: true });
        rmSync(plain, { recursive: true, force: true });
      }
    },
  );
});
