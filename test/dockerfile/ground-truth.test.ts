// Lint verdicts against real runs. For each Dockerfile, the fixture binary is what its build stage
// produces (cgo-glibc: a Debian golang builder with cgo on by default; static: CGO_ENABLED=0;
// musl-dynamic: Alpine with gcc and CGO_ENABLED=1 …) and the rootfs stands in for its runtime image.
// The binary really runs there (bubblewrap, no network): lint must report an error exactly when it fails.
import { test, describe } from 'node:test';
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { GO_CGO_GLIBC_FLOOR } from '../../src/knowledge/libc.js';
import { compareVersions } from '../../src/compare-versions.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixture } from '../fixtures/index.js';
import { rootfs, runInRootfs, type RootfsName } from '../harness/rootfs.js';
import { lintDockerfile } from '../../src/dockerfile/lint.js';
import { scanGoSources } from '../../src/dockerfile/sources.js';
import { parseGoMod } from '../../src/project/gomod.js';
import type { BuildContext } from '../../src/dockerfile/model.js';
import { haveTool } from '../truth/tools.js';

interface Case {
  name: string;
  dockerfile: string;
  context?: BuildContext;
  binary: string;
  args: string[];
  rootfs: RootfsName;
  /** the rule that must report an error when the run fails (and must not when it runs) */
  rule: string;
}

const TLS: BuildContext = {
  sources: scanGoSources([{ path: 'main.go', text: 'package main\nimport "crypto/tls"\nvar _ = tls.Config{}' }]),
};
const TZ: BuildContext = {
  sources: scanGoSources([{ path: 'main.go', text: 'package main\nimport "time"\nfunc main(){ time.LoadLocation("Europe/Berlin") }' }]),
};
const TZ_EMBED: BuildContext = {
  sources: scanGoSources([
    { path: 'main.go', text: 'package main\nimport ("time"; _ "time/tzdata")\nfunc main(){ time.LoadLocation("Europe/Berlin") }' },
  ]),
};
const SQLITE: BuildContext = { goMod: parseGoMod('module x\n\ngo 1.26\n\nrequire github.com/mattn/go-sqlite3 v1.14.22\n') };

const debianCgo = (runtime: string) =>
  `FROM golang:1.26-bookworm AS b\nRUN go build -o /app .\nFROM ${runtime}\nCOPY --from=b /app /app\nUSER 65532\nENTRYPOINT ["/app"]`;
const noCgo = (runtime: string) =>
  `FROM golang:1.26-bookworm AS b\nRUN CGO_ENABLED=0 go build -o /app .\nFROM ${runtime}\nCOPY --from=b /app /app\nUSER 65532\nENTRYPOINT ["/app"]`;
const alpineCgo = (runtime: string) =>
  `FROM golang:1.26-alpine3.23 AS b\nRUN apk add --no-cache gcc musl-dev\nRUN CGO_ENABLED=1 go build -o /app .\nFROM ${runtime}\nCOPY --from=b /app /app\nUSER 65532\nENTRYPOINT ["/app"]`;

const CASES: Case[] = [
  {
    name: 'default cgo on bookworm → scratch',
    dockerfile: debianCgo('scratch'),
    binary: 'cgo-glibc',
    args: ['ok'],
    rootfs: 'scratch',
    rule: 'GK006',
  },
  {
    name: 'default cgo on bookworm → distroless static',
    dockerfile: debianCgo('gcr.io/distroless/static-debian12:nonroot'),
    binary: 'cgo-glibc',
    args: ['ok'],
    rootfs: 'distroless-static-like',
    rule: 'GK006',
  },
  {
    name: 'default cgo on bookworm → distroless base',
    dockerfile: debianCgo('gcr.io/distroless/base-debian12:nonroot'),
    binary: 'cgo-glibc',
    args: ['ok'],
    rootfs: 'distroless-base-like',
    rule: 'GK006',
  },
  {
    name: 'default cgo on bookworm → bullseye (GK007)',
    dockerfile: debianCgo('debian:bullseye-slim'),
    binary: 'cgo-glibc',
    args: ['ok'],
    rootfs: 'glibc-bullseye',
    rule: 'GK007',
  },
  {
    name: 'default cgo on bookworm → bookworm',
    dockerfile: debianCgo('debian:bookworm-slim'),
    binary: 'cgo-glibc',
    args: ['ok'],
    rootfs: 'glibc-bookworm',
    rule: 'GK007',
  },
  { name: 'CGO_ENABLED=0 → scratch', dockerfile: noCgo('scratch'), binary: 'static', args: ['ok'], rootfs: 'scratch', rule: 'GK006' },
  {
    name: 'CGO_ENABLED=0 → bullseye',
    dockerfile: noCgo('debian:bullseye-slim'),
    binary: 'static',
    args: ['ok'],
    rootfs: 'glibc-bullseye',
    rule: 'GK007',
  },
  { name: 'musl cgo → scratch', dockerfile: alpineCgo('scratch'), binary: 'musl-dynamic', args: ['ok'], rootfs: 'scratch', rule: 'GK006' },
  {
    name: 'musl cgo → alpine',
    dockerfile: alpineCgo('alpine:3.23'),
    binary: 'musl-dynamic',
    args: ['ok'],
    rootfs: 'alpine-like',
    rule: 'GK006',
  },
  {
    name: 'musl cgo → debian (glibc)',
    dockerfile: alpineCgo('debian:bookworm-slim'),
    binary: 'musl-dynamic',
    args: ['ok'],
    rootfs: 'glibc-bookworm',
    rule: 'GK006',
  },
  {
    name: 'TLS client on scratch',
    dockerfile: noCgo('scratch'),
    context: TLS,
    binary: 'static',
    args: ['certs'],
    rootfs: 'scratch',
    rule: 'GK010',
  },
  {
    name: 'TLS client on distroless static',
    dockerfile: noCgo('gcr.io/distroless/static-debian12:nonroot'),
    context: TLS,
    binary: 'static',
    args: ['certs'],
    rootfs: 'distroless-static-like',
    rule: 'GK010',
  },
  {
    name: 'time zones on scratch',
    dockerfile: noCgo('scratch'),
    context: TZ,
    binary: 'static',
    args: ['tz', 'Europe/Berlin'],
    rootfs: 'scratch',
    rule: 'GK011',
  },
  {
    name: 'time zones embedded, on scratch',
    dockerfile: noCgo('scratch'),
    context: TZ_EMBED,
    binary: 'tzdata',
    args: ['tz', 'Europe/Berlin'],
    rootfs: 'scratch',
    rule: 'GK011',
  },
  {
    name: 'time zones on alpine with tzdata',
    dockerfile: noCgo('alpine:3.23').replace('FROM alpine:3.23', 'FROM alpine:3.23\nRUN apk add --no-cache tzdata'),
    context: TZ,
    binary: 'static',
    args: ['tz', 'Europe/Berlin'],
    rootfs: 'alpine-like',
    rule: 'GK011',
  },
  {
    name: 'go-sqlite3 with cgo off by default on alpine',
    dockerfile:
      'FROM golang:1.26-alpine3.23 AS b\nRUN go build -o /app .\nFROM alpine:3.23\nCOPY --from=b /app /app\nUSER 65532\nENTRYPOINT ["/app"]',
    context: SQLITE,
    binary: 'sqlite-nocgo',
    args: [],
    rootfs: 'alpine-like',
    rule: 'GK023',
  },
];

describe('lint errors match real runs in stand-in images', () => {
  for (const c of CASES) {
    test(c.name, (t) => {
      const r = runInRootfs(rootfs(c.rootfs), fixture(c.binary), c.args);
      if (r.spawnError) {
        if (process.env.CI === 'true') assert.fail(`bwrap could not start: ${r.spawnError}`);
        t.skip(`bwrap missing: ${r.spawnError}`);
        return;
      }
      const runs = r.exitCode === 0;
      const findings = lintDockerfile(
        c.dockerfile,
        c.context ? { file: 'Dockerfile', context: c.context, today: '2026-11-26' } : { file: 'Dockerfile', today: '2026-11-26' },
      );
      const errors = findings.filter((f) => f.rule === c.rule && f.severity === 'error');
      assert.equal(
        errors.length > 0,
        !runs,
        `run: exit ${r.exitCode}, stderr ${JSON.stringify(r.stderr.trim())}; lint ${c.rule}: ${JSON.stringify(errors.map((e) => e.message))}`,
      );
      // and no other error-level finding claims the binary fails when it runs
      if (runs)
        assert.deepEqual(
          findings.filter((f) => f.severity === 'error').map((f) => `${f.rule}: ${f.message}`),
          [],
        );
    });
  }
});

// GK005's premise, checked with the real toolchain: with CGO_ENABLED=0 the internal linker ignores
// -extldflags, so both builds are static (no PT_INTERP, no DYNAMIC segment) and lint says so.
describe('GK005 premise: -extldflags -static changes nothing with CGO_ENABLED=0', () => {
  test('go build with and without the flag, read with readelf', (t) => {
    if (!haveTool(t, 'go', ['version']) || !haveTool(t, 'readelf')) return;
    const out = mkdtempSync(join(tmpdir(), 'gk-lint-gk005-'));
    try {
      const src = join(process.cwd(), 'test/go/hello');
      const env = { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local' };
      const segs: string[] = [];
      for (const [name, ld] of [
        ['plain', '-s -w'],
        ['extld', '-s -w -extldflags "-static"'],
      ] as const) {
        const b = spawnSync('go', ['build', '-ldflags', ld, '-o', join(out, name), '.'], { cwd: src, env, encoding: 'utf8' });
        assert.equal(b.status, 0, b.stderr);
        const r = spawnSync('readelf', ['-lW', join(out, name)], { encoding: 'utf8' });
        assert.equal(r.status, 0, r.stderr);
        assert.doesNotMatch(r.stdout, /\bINTERP\b|\bDYNAMIC\b/, `${name} is not static`);
        segs.push(
          r.stdout
            .split('\n')
            .filter((l) => /^\s+[A-Z_]+\s+0x/.test(l))
            .map((l) => l.trim().split(/\s+/)[0])
            .join(','),
        );
      }
      assert.equal(segs[0], segs[1], 'same segment layout');
      const f = lintDockerfile('FROM golang:1.26\nRUN CGO_ENABLED=0 go build -ldflags \'-s -w -extldflags "-static"\' -o /app .', {
        file: 'D',
        today: '2026-11-26',
      });
      assert.ok(f.some((x) => x.rule === 'GK005'));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

// GK007's floor, checked with the real toolchain: a CGO_ENABLED=1 build linked against this host's glibc
// (>= 2.34) needs GLIBC_2.34 and nothing newer from Go's own C code, so it runs on any glibc >= 2.34.
describe("GK007 premise: Go's own cgo code needs at most GLIBC_2.34 when linked against glibc >= 2.34", () => {
  const PROGRAMS: Record<string, string> = {
    'net/http + os/user':
      'package main\n\nimport (\n\t"fmt"\n\t"net/http"\n\t"os/user"\n)\n\nfunc main() {\n\tu, err := user.Current()\n\tfmt.Println(u, err, http.StatusOK)\n}\n',
    'trivial import "C"':
      'package main\n\n// int one(void) { return 1; }\nimport "C"\n\nimport "fmt"\n\nfunc main() { fmt.Println(C.one()) }\n',
  };
  const versions = (bin: string): string[] => {
    const r = spawnSync('readelf', ['-VW', bin], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return [...new Set([...r.stdout.matchAll(/GLIBC_(\d+(?:\.\d+)+)/g)].map((m) => m[1]!))].sort(compareVersions);
  };
  test('CGO_ENABLED=1 builds read with readelf -V; lint: warning on glibc 2.35 (ubuntu:22.04), error on 2.31 (bullseye)', (t) => {
    if (!haveTool(t, 'go', ['version']) || !haveTool(t, 'readelf') || !haveTool(t, 'gcc')) return;
    const host = spawnSync('ldd', ['--version'], { encoding: 'utf8' }).stdout.match(/(\d+\.\d+)\s*$/m)?.[1];
    if (!host || compareVersions(host, GO_CGO_GLIBC_FLOOR.since) < 0) {
      t.skip(`host glibc ${host} is older than ${GO_CGO_GLIBC_FLOOR.since}`);
      return;
    }
    for (const [what, text] of Object.entries(PROGRAMS)) {
      const dir = mkdtempSync(join(tmpdir(), 'gk-lint-gk007-'));
      try {
        writeFileSync(join(dir, 'go.mod'), 'module example.com/probe\n\ngo 1.26\n');
        writeFileSync(join(dir, 'main.go'), text);
        const b = spawnSync('go', ['build', '-o', join(dir, 'app'), '.'], {
          cwd: dir,
          encoding: 'utf8',
          env: { ...process.env, CGO_ENABLED: '1', GOTOOLCHAIN: 'local', GOFLAGS: '', GOPROXY: 'off' },
        });
        assert.equal(b.status, 0, b.stderr);
        const v = versions(join(dir, 'app'));
        t.diagnostic(`${what} on glibc ${host}: ${v.map((x) => `GLIBC_${x}`).join(' ')}`);
        assert.equal(v.at(-1), GO_CGO_GLIBC_FLOOR.value, `${what}: highest GLIBC_ version`);
        // what lint decides from that: runs on 2.35, not on 2.31
        const ctx: BuildContext = {
          goMod: parseGoMod('module example.com/probe\n\ngo 1.26\n'),
          sources: scanGoSources([{ path: 'main.go', text }]),
        };
        const sev = (rt: string) =>
          lintDockerfile(debianCgo(rt), { file: 'Dockerfile', context: ctx, today: '2026-11-26' })
            .filter((f) => f.rule === 'GK007')
            .map((f) => f.severity);
        assert.deepEqual(sev('ubuntu:22.04'), ['warning'], what);
        assert.deepEqual(sev('debian:bullseye-slim'), ['error'], what);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    // and the cgo-glibc fixture (the one the bullseye run above fails with) needs nothing above 2.34 either
    assert.equal(versions(fixture('cgo-glibc')).at(-1), GO_CGO_GLIBC_FLOOR.value);
  });
});

// GK015's cgo case, checked with the real toolchain: with CGO_ENABLED=1 and a foreign GOARCH, the host gcc
// is asked to compile runtime/cgo for arm64 and fails; a program that uses no cgo builds all the same.
describe('GK015 premise: CGO_ENABLED=1 GOARCH=arm64 on an amd64 host without a cross compiler', () => {
  test('an import "C" program fails to build, a pure one builds; lint reports exactly the first', (t) => {
    if (!haveTool(t, 'go', ['version']) || !haveTool(t, 'gcc')) return;
    if (process.arch !== 'x64') {
      t.skip('needs an amd64 host');
      return;
    }
    const cases: Record<string, string> = {
      cgo: 'package main\n\n// int one(void) { return 1; }\nimport "C"\n\nimport "fmt"\n\nfunc main() { fmt.Println(C.one()) }\n',
      pure: 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("ok") }\n',
    };
    const df =
      'FROM --platform=$BUILDPLATFORM golang:1.26-bookworm AS b\nARG TARGETOS TARGETARCH\nRUN CGO_ENABLED=1 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /app .\nFROM debian:bookworm-slim\nCOPY --from=b /app /app';
    for (const [what, text] of Object.entries(cases)) {
      const dir = mkdtempSync(join(tmpdir(), 'gk-lint-gk015-'));
      try {
        writeFileSync(join(dir, 'go.mod'), 'module example.com/probe\n\ngo 1.26\n');
        writeFileSync(join(dir, 'main.go'), text);
        const b = spawnSync('go', ['build', '-o', join(dir, 'app'), '.'], {
          cwd: dir,
          encoding: 'utf8',
          env: {
            ...process.env,
            CGO_ENABLED: '1',
            GOOS: 'linux',
            GOARCH: 'arm64',
            CC: '',
            GOTOOLCHAIN: 'local',
            GOFLAGS: '',
            GOPROXY: 'off',
          },
        });
        const ctx: BuildContext = {
          goMod: parseGoMod('module example.com/probe\n\ngo 1.26\n'),
          sources: scanGoSources([{ path: 'main.go', text }]),
        };
        const errors = lintDockerfile(df, { file: 'Dockerfile', context: ctx, today: '2026-11-26' }).filter(
          (f) => f.rule === 'GK015' && f.severity === 'error',
        );
        t.diagnostic(`${what}: go build exit ${b.status}; GK015 errors ${errors.length}`);
        assert.equal(errors.length > 0, b.status !== 0, `${what}: build exit ${b.status} ${b.stderr.split('\n').slice(0, 3).join(' | ')}`);
        if (b.status !== 0) assert.match(b.stderr, /# runtime\/cgo[\s\S]*gcc_arm64\.S/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });
});
