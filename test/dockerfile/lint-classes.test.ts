// Regression cases for the classes of false alarms and misses found by linting real Go Dockerfiles (issue
// #17), one describe per class, and the real builds that prove GK015's cross-build claim and the
// package-manager reading (apt's own view of build-essential).
import { test, describe } from 'node:test';
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { lintDockerfile } from '../../src/dockerfile/lint.js';
import { installedPackages } from '../../src/dockerfile/steps.js';
import { defaultKnowledge } from '../../src/dockerfile/knowledge-adapter.js';
import { describeImage } from '../../src/knowledge/image-model.js';
import { parseGoMod } from '../../src/project/gomod.js';
import { scanGoSources } from '../../src/dockerfile/sources.js';
import type { BuildContext } from '../../src/dockerfile/model.js';
import { haveOnPath } from '../truth/tools.js';
import { copiedBinaryJudge } from '../../src/analysis/copied-binary.js';

const TODAY = '2026-12-07';
const lint = (df: string, more: { context?: BuildContext; buildArgs?: Record<string, string> } = {}) =>
  lintDockerfile(df, { file: 'Dockerfile', today: TODAY, ...more });
const codes = (df: string, more = {}) => lint(df, more).map((f) => `${f.rule}@${f.line} ${f.severity}`);
const has = (df: string, rule: string, more = {}) => lint(df, more).some((f) => f.rule === rule);

describe('class 1: parameterised bases are info, not an error, and --build-arg resolves them', () => {
  const df =
    'ARG GO_IMAGE_TAG\nARG RUNTIME\nFROM golang:$GO_IMAGE_TAG AS build\nRUN CGO_ENABLED=0 go build -o /app .\nFROM ${RUNTIME}\nCOPY --from=build /app /app\nUSER 65532\nENTRYPOINT ["/app"]';
  test('one GK000 info naming both stages; no error', () => {
    const gk0 = lint(df).filter((f) => f.rule === 'GK000');
    assert.deepEqual(
      gk0.map((f) => [f.line, f.severity]),
      [[3, 'info']],
    );
    assert.match(gk0[0]!.message, /build \(FROM golang:\$GO_IMAGE_TAG, line 3\), stage 1 \(FROM \$\{RUNTIME\}, line 5\)/);
    assert.match(gk0[0]!.fix, /--build-arg GO_IMAGE_TAG=… --build-arg RUNTIME=…/);
    assert.ok(!lint(df).some((f) => f.severity === 'error'));
  });
  test('with --build-arg the bases are known and judged (scratch has no shell, distroless ok)', () => {
    const got = lint(df, { buildArgs: { GO_IMAGE_TAG: '1.27-alpine3.24', RUNTIME: 'gcr.io/distroless/static-debian13:nonroot' } });
    assert.ok(!got.some((f) => f.rule === 'GK000'));
  });
  test('an ARG no line declares is still an error: docker reads it as empty', () => {
    assert.deepEqual(
      codes('FROM golang:${NOPE}').filter((c) => c.startsWith('GK000')),
      ['GK000@1 error'],
    );
  });
});

describe('class 2: binaries built for the build machine on purpose', () => {
  test('a generator built and run on $BUILDPLATFORM is not GK015; the target binary still is checked', () => {
    const df = [
      'FROM --platform=$BUILDPLATFORM golang:1.27-alpine3.24 AS gen',
      'WORKDIR /src',
      'COPY . .',
      'RUN go build -o /usr/local/bin/docgen ./tools/docgen',
      'RUN docgen > /docs.md',
      'FROM --platform=$BUILDPLATFORM golang:1.27-alpine3.24 AS build',
      'ARG TARGETOS TARGETARCH',
      'COPY --from=gen /docs.md /src/docs.md',
      'RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .',
      'FROM scratch',
      'COPY --from=build /out/app /app',
      'USER 65532',
      'ENTRYPOINT ["/app"]',
    ].join('\n');
    assert.ok(!has(df, 'GK015'), JSON.stringify(codes(df)));
  });
  test('the same generator copied into the target stage is GK015', () => {
    const df =
      'FROM --platform=$BUILDPLATFORM golang:1.27 AS gen\nRUN go build -o /usr/local/bin/docgen ./tools/docgen\nFROM debian:trixie-slim\nCOPY --from=gen /usr/local/bin/docgen /usr/local/bin/\nUSER nobody';
    assert.deepEqual(
      codes(df).filter((c) => c.startsWith('GK015')),
      ['GK015@2 error'],
    );
  });
});

describe('class 3: package-manager options and meta-packages', () => {
  const pk = (line: string) => installedPackages(line.split(/\s+/), defaultKnowledge);
  test('options that take a value are not packages', () => {
    assert.deepEqual(
      pk('apk add --no-cache --virtual .build-deps build-base git').filter((p) => p.startsWith('.')),
      [],
    );
    assert.deepEqual(pk('apk add -t .deps -X https://dl-cdn.alpinelinux.org/alpine/edge/testing gcc'), ['gcc']);
    assert.deepEqual(pk('apk add --repository https://x/y --no-cache musl-dev'), ['musl-dev']);
    assert.deepEqual(pk('apt-get install -y -o Dpkg::Options::=--force-confnew -t bookworm-backports --no-install-recommends gcc'), [
      'gcc',
    ]);
    assert.deepEqual(pk('apt-get -o Acquire::Retries=3 install -y make'), ['make']);
  });
  test('meta-packages bring gcc and the C headers', () => {
    for (const p of ['gcc', 'musl-dev']) assert.ok(pk('apk add --no-cache build-base').includes(p), p);
    for (const p of ['gcc', 'musl-dev', 'git']) assert.ok(pk('apk add alpine-sdk').includes(p), p);
    for (const p of ['gcc', 'libc6-dev']) assert.ok(pk('apt-get install -y --no-install-recommends build-essential').includes(p), p);
  });
  test('GK018 is silent with build-base behind --virtual, and fires without gcc', () => {
    const ok =
      'FROM golang:1.27-alpine3.24 AS b\nRUN apk add --no-cache --virtual .build-deps build-base\nRUN CGO_ENABLED=1 go build -o /app .\nFROM alpine:3.24\nCOPY --from=b /app /app';
    assert.ok(!has(ok, 'GK018'), JSON.stringify(codes(ok)));
    const bad =
      'FROM golang:1.27-alpine3.24 AS b\nRUN apk add --no-cache --virtual build-base git\nRUN CGO_ENABLED=1 go build -o /app .\nFROM alpine:3.24\nCOPY --from=b /app /app';
    // `--virtual build-base` names the group build-base: only git is installed, so gcc is missing
    assert.ok(has(bad, 'GK018'), JSON.stringify(codes(bad)));
  });
  test('apt itself says build-essential depends on gcc and libc6-dev (the Debian index on this machine)', (t) => {
    if (!haveOnPath(t, 'apt-cache')) return;
    const r = spawnSync('apt-cache', ['depends', 'build-essential'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const deps = [...r.stdout.matchAll(/Depends: <?([a-z0-9.+-]+)>?/g)].map((m) => m[1]!);
    for (const p of defaultKnowledge.packageProvides('apt', 'build-essential').slice(1)) assert.ok(deps.includes(p), `${p} not in ${deps}`);
  });
});

describe('class 4: well-known bases outside Docker Hub', () => {
  test('chainguard static, ubi-micro and Hub mirrors have facts', () => {
    const cg = describeImage('cgr.dev/chainguard/static:latest');
    assert.deepEqual(
      [cg.kind, cg.libc, cg.shell, cg.caCerts, cg.zoneinfo, cg.defaultUser],
      ['chainguard', 'none', false, true, true, '65532'],
    );
    const ubi = describeImage('registry.access.redhat.com/ubi9/ubi-micro:9.4');
    assert.deepEqual(
      [ubi.kind, ubi.libc, ubi.glibc, ubi.shell, ubi.caCerts, ubi.defaultUser],
      ['ubi', 'glibc', '2.34', true, false, 'root'],
    );
    const ecr = describeImage('public.ecr.aws/docker/library/alpine:3.22');
    assert.deepEqual([ecr.kind, ecr.os?.release, ecr.mirrorOf], ['alpine', '3.22', 'alpine']);
    assert.equal(describeImage('mirror.gcr.io/library/golang:1.27-alpine3.24').os?.release, '3.24');
    assert.equal(describeImage('quay.io/someone/unknown:1').kind, 'unknown');
  });
  test('rules apply to them: shell form on chainguard static (GK008), root on ubi-micro (GK012), cgo into chainguard static (GK006)', () => {
    assert.ok(has('FROM cgr.dev/chainguard/static\nCOPY app /app\nENTRYPOINT /app', 'GK008'));
    assert.ok(has('FROM registry.access.redhat.com/ubi9/ubi-micro:9.4\nCOPY app /app\nENTRYPOINT ["/app"]', 'GK012'));
    assert.ok(!has('FROM cgr.dev/chainguard/static\nCOPY app /app\nENTRYPOINT ["/app"]', 'GK012'));
    assert.ok(
      has('FROM golang:1.27 AS b\nRUN CGO_ENABLED=1 go build -o /app .\nFROM cgr.dev/chainguard/static\nCOPY --from=b /app /app', 'GK006'),
    );
    assert.ok(
      has(
        'FROM public.ecr.aws/docker/library/golang:1.27-alpine3.22 AS b\nRUN go build -o /app .\nFROM public.ecr.aws/docker/library/alpine:3.24\nCOPY --from=b /app /app',
        'GK001',
      ),
    );
  });
});

describe('class 5: tonistiigi/xx cross-build helpers', () => {
  const df = [
    'FROM --platform=$BUILDPLATFORM tonistiigi/xx:1.6.1 AS xx',
    'FROM --platform=$BUILDPLATFORM golang:1.27-alpine3.24 AS build',
    'COPY --from=xx / /',
    'ARG TARGETPLATFORM',
    'RUN apk add --no-cache clang lld',
    'RUN xx-apk add --no-cache gcc musl-dev',
    'WORKDIR /src',
    'COPY . .',
    'ENV CGO_ENABLED=1',
    'RUN xx-go build -o /out/app . && xx-verify --static /out/app',
    'FROM scratch',
    'COPY --from=build /out/app /app',
    'USER 65532',
    'ENTRYPOINT ["/app"]',
  ].join('\n');
  test('xx-go is a cross build with a C cross compiler; xx-apk installs musl-dev; xx-verify --static proves a static binary', () => {
    const got = codes(df);
    for (const r of ['GK015', 'GK018', 'GK006']) assert.ok(!got.some((c) => c.startsWith(r)), `${r} in ${got}`);
  });
  test('xx-go --wrap makes later go builds target builds', () => {
    const wrap =
      'FROM --platform=$BUILDPLATFORM golang:1.27 AS build\nCOPY --from=tonistiigi/xx:1.6.1 / /\nARG TARGETPLATFORM\nRUN xx-go --wrap\nRUN CGO_ENABLED=0 go build -o /out/app .\nFROM scratch\nCOPY --from=build /out/app /app';
    assert.ok(!has(wrap, 'GK015'), JSON.stringify(codes(wrap)));
  });
});

describe('class 6: which command built the shipped file', () => {
  test('a pinned go install on $BUILDPLATFORM is a host tool; the target build is what ships', () => {
    const df =
      'FROM --platform=$BUILDPLATFORM golang:1.27 AS build\nARG TARGETOS TARGETARCH\nRUN go install github.com/google/go-licenses@v1.6.0\nRUN go-licenses save ./... --save_path=/licenses\nRUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .\nFROM gcr.io/distroless/static-debian13:nonroot\nCOPY --from=build /licenses /licenses\nCOPY --from=build /out/app /app';
    assert.ok(!has(df, 'GK015'), JSON.stringify(codes(df)));
  });
  test('a cgo binary with its loader and libraries copied in by hand is not GK006 (matterbridge)', () => {
    const df =
      'FROM golang:1.27-bookworm AS b\nRUN go build -o /app .\nFROM gcr.io/distroless/static-debian13\nCOPY --from=b /lib64/ld-linux-x86-64.so.2 /lib64/ld-linux-x86-64.so.2\nCOPY --from=b /lib/x86_64-linux-gnu/libc.so.6 /lib/x86_64-linux-gnu/libc.so.6\nCOPY --from=b /app /app';
    assert.ok(!has(df, 'GK006'), JSON.stringify(codes(df)));
    assert.ok(
      has(
        df
          .split('\n')
          .filter((l) => !/ld-linux/.test(l))
          .join('\n'),
        'GK006',
      ),
    );
  });
  test('a program built by make is not blamed on a go install of another tool (GK006)', () => {
    const df =
      'FROM golang:1.27 AS build\nRUN go install github.com/a-h/templ/cmd/templ@v0.3.1\nRUN CGO_ENABLED=0 make build\nFROM scratch\nCOPY --from=build /src/bin/server /server';
    assert.ok(!lint(df).some((f) => f.rule === 'GK006' && f.severity !== 'info'), JSON.stringify(codes(df)));
  });
});

describe('class 7: make in a golang-alpine builder still compares Alpine releases', () => {
  test('GK001 warns when the build runs inside make', () => {
    const df =
      'FROM golang:1.27-alpine3.22 AS build\nRUN apk add --no-cache make\nRUN make build\nFROM alpine:3.24\nCOPY --from=build /src/bin/app /app';
    assert.deepEqual(
      codes(df).filter((c) => c.startsWith('GK001')),
      ['GK001@4 warning'],
    );
  });
});

describe('class 8: package-level evidence for GK023', () => {
  const mod = parseGoMod('module github.com/benbjohnson/litestream\n\ngo 1.24\n\nrequire github.com/mattn/go-sqlite3 v1.14.22\n');
  const sources = scanGoSources([
    { path: 'cmd/litestream/main.go', text: 'package main\nimport "github.com/benbjohnson/litestream"\nfunc main(){ litestream.Run() }' },
    { path: 'litestream.go', text: 'package litestream\nimport "fmt"\nfunc Run(){ fmt.Println() }' },
    { path: 'cmd/litestream-test/main.go', text: 'package main\nimport _ "github.com/mattn/go-sqlite3"\nfunc main(){}' },
  ]);
  const context: BuildContext = { goMod: mod, sources };
  const df = (target: string) =>
    `FROM golang:1.24 AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app ${target}\nFROM scratch\nCOPY --from=build /app /app`;
  test('a command that does not import go-sqlite3 is not GK023', () => {
    assert.ok(!has(df('./cmd/litestream'), 'GK023', { context }), JSON.stringify(codes(df('./cmd/litestream'), { context })));
  });
  test('the command that imports it is', () => {
    assert.ok(has(df('./cmd/litestream-test'), 'GK023', { context }));
  });
});

describe('found the same way', () => {
  test('golang:alpine, golang:1-alpine, golang:1, alpine:3, debian:stable move like latest (GK003 warning)', () => {
    for (const img of [
      'golang:alpine',
      'golang:1-alpine',
      'golang:1',
      'golang:bookworm',
      'alpine:3',
      'alpine:edge',
      'debian:stable-slim',
    ]) {
      const hits = lint(`FROM ${img}\nRUN true`).filter((f) => f.rule === 'GK003');
      assert.deepEqual(
        hits.map((h) => h.severity),
        ['warning'],
        img,
      );
    }
    assert.deepEqual(
      lint('FROM golang:1.27-alpine3.24\nRUN true')
        .filter((f) => f.rule === 'GK003')
        .map((h) => h.severity),
      ['info'],
    );
  });
  test('releases older than the tables are past support (GK022)', () => {
    for (const img of [
      'alpine:3.11',
      'alpine:3.14',
      'golang:1.14',
      'golang:1.14-alpine3.11',
      'golang:1.7-alpine',
      'debian:jessie',
      'ubuntu:14.04',
    ])
      assert.ok(has(`FROM ${img}\nRUN true`, 'GK022'), img);
  });
  test('go install …@latest is a warning, as its page says', () => {
    assert.deepEqual(
      lint('FROM golang:1.27\nRUN go install golang.org/x/tools/cmd/stringer@latest')
        .filter((f) => f.rule === 'GK017')
        .map((f) => f.severity),
      ['warning'],
    );
  });
  test('go get is reported only where Go is 1.18 or newer (or unknown), since older ones still installed with it', () => {
    assert.ok(!has('FROM golang:1.15-alpine\nRUN go get github.com/x/y', 'GK017'));
    assert.ok(!has('FROM alpine:3.4\nRUN apk add --no-cache go && go get github.com/x/y', 'GK017'));
    assert.ok(has('FROM golang:1.27\nRUN go get github.com/x/y', 'GK017'));
    assert.ok(has('FROM alpine\nRUN apk add --no-cache go && go get github.com/x/y', 'GK017'));
  });
  test("go install without @version after go.mod is copied takes go.mod's version (tailscale): no GK017", () => {
    assert.ok(
      !has('FROM golang:1.27 AS b\nCOPY go.mod go.sum ./\nRUN go install golang.org/x/crypto/ssh github.com/coder/websocket', 'GK017'),
    );
    assert.ok(has('FROM golang:1.27 AS b\nRUN go install golang.org/x/tools/cmd/stringer\nCOPY go.mod go.sum ./', 'GK017'));
  });
  test('a final stage on the golang image is GK027', () => {
    assert.ok(has('FROM golang:1.27\nCOPY . .\nRUN go build -o /app .\nCMD ["/app"]', 'GK027'));
  });
  test('a 150,000-line Dockerfile is refused in linear time with one GK000', () => {
    const big =
      'FROM alpine:3.24\nRUN echo a \\\n' + Array.from({ length: 150_000 }, (_, i) => `  && echo ${i} \\`).join('\n') + '\n  && true\n';
    const t0 = Date.now();
    const got = lint(big);
    assert.ok(Date.now() - t0 < 2000, `${Date.now() - t0} ms`);
    assert.deepEqual(
      got.map((f) => [f.rule, f.severity]),
      [['GK000', 'error']],
    );
    assert.match(got[0]!.message, /too large to lint/);
    const stages = Array.from(
      { length: 50_000 },
      (_, i) => `FROM alpine:3.24 AS s${i}\nCOPY --from=s${Math.max(0, i - 1)} /a /a\nRUN true`,
    ).join('\n');
    assert.match(lint(stages)[0]!.message, /too large to lint/);
  });
});

describe('GK015 claim proven by a real arm64 build', () => {
  let dir = '';
  const setup = () => {
    dir = mkdtempSync(join(tmpdir(), 'gokiln-xcgo-'));
    writeFileSync(join(dir, 'go.mod'), 'module example.com/xcgo\n\ngo 1.21\n');
    writeFileSync(join(dir, 'main.go'), 'package main\n\n// int one(void) { return 1; }\nimport "C"\n\nfunc main() { println(C.one()) }\n');
  };
  const build = (env: Record<string, string>) =>
    spawnSync('go', ['build', '-o', join(dir, 'app'), '.'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, GOFLAGS: '-mod=mod', GOOS: 'linux', GOARCH: 'arm64', CGO_ENABLED: '1', ...env },
    });
  test('CGO_ENABLED=1 GOARCH=arm64 with only the host gcc fails; with aarch64-linux-gnu-gcc as CC it builds an arm64 ELF', (t) => {
    if (!haveOnPath(t, 'go') || !haveOnPath(t, 'aarch64-linux-gnu-gcc') || !haveOnPath(t, 'readelf')) return;
    setup();
    try {
      const host = build({ CC: 'gcc' });
      assert.notEqual(host.status, 0, 'the host gcc compiled C for arm64?');
      const lintSays = lint(
        'FROM --platform=$BUILDPLATFORM golang:1.27 AS b\nARG TARGETOS TARGETARCH\nRUN CGO_ENABLED=1 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /app .\nFROM debian:trixie-slim\nCOPY --from=b /app /app',
      );
      assert.ok(lintSays.some((f) => f.rule === 'GK015'));
      const cross = build({ CC: 'aarch64-linux-gnu-gcc' });
      assert.equal(cross.status, 0, cross.stderr);
      const h = spawnSync('readelf', ['-h', join(dir, 'app')], { encoding: 'utf8' }).stdout;
      assert.match(h, /Machine:\s+AArch64/);
      const withCc = lint(
        'FROM --platform=$BUILDPLATFORM golang:1.27 AS b\nARG TARGETOS TARGETARCH\nRUN CGO_ENABLED=1 CC=aarch64-linux-gnu-gcc GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /app .\nFROM debian:trixie-slim\nCOPY --from=b /app /app',
      );
      assert.ok(!withCc.some((f) => f.rule === 'GK015' && /C cross compiler/.test(f.message)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('read what the Dockerfile copies: a prebuilt binary in the build context', () => {
  test('a cgo binary into scratch (GK006), an arm64 binary into an amd64 stage (GK015), TLS without CA certificates (GK010); a static one on alpine is quiet', (t) => {
    if (!haveOnPath(t, 'go') || !haveOnPath(t, 'gcc')) return;
    const dir = mkdtempSync(join(tmpdir(), 'gokiln-copied-'));
    try {
      writeFileSync(join(dir, 'go.mod'), 'module example.com/copied\n\ngo 1.21\n');
      writeFileSync(
        join(dir, 'main.go'),
        'package main\n\n// int one(void) { return 1; }\nimport "C"\n\nimport "net/http"\n\nfunc main() { println(C.one()); http.Get("https://example.com") }\n',
      );
      const go = (out: string, env: Record<string, string>) => {
        const r = spawnSync('go', ['build', '-o', join(dir, out), '.'], {
          cwd: dir,
          encoding: 'utf8',
          env: { ...process.env, GOOS: 'linux', ...env },
        });
        assert.equal(r.status, 0, r.stderr);
      };
      go('app-cgo', { CGO_ENABLED: '1', GOARCH: 'amd64' });
      writeFileSync(join(dir, 'main.go'), 'package main\n\nimport "net/http"\n\nfunc main() { http.Get("https://example.com") }\n');
      go('app-arm64', { CGO_ENABLED: '0', GOARCH: 'arm64' });
      go('app-static', { CGO_ENABLED: '0', GOARCH: 'amd64' });
      const context: BuildContext = { judgeCopied: copiedBinaryJudge(dir) };
      const run = (df: string) => lintDockerfile(df, { file: 'Dockerfile', today: TODAY, context });
      const cgo = run('FROM scratch\nCOPY app-cgo /app\nUSER 65532\nENTRYPOINT ["/app"]').filter((f) => f.rule === 'GK006');
      assert.equal(cgo.length, 1);
      assert.match(
        cgo[0]!.message,
        /gokiln read app-cgo from the build context \(amd64\): on scratch it fails with: exec \/app: no such file or directory/,
      );
      const arm = run(
        'FROM --platform=linux/amd64 alpine:3.24\nCOPY app-arm64 /usr/bin/\nUSER nobody\nENTRYPOINT ["/usr/bin/app-arm64"]',
      ).filter((f) => f.rule === 'GK015');
      assert.equal(arm.length, 1);
      assert.match(arm[0]!.message, /built for arm64, and this stage runs on linux\/amd64/);
      const tls = run('FROM scratch\nCOPY app-static /app\nUSER 65532\nENTRYPOINT ["/app"]').filter((f) => f.rule === 'GK010');
      assert.equal(tls.length, 1);
      assert.match(tls[0]!.message, /gokiln read app-static/);
      const ok = run('FROM alpine:3.24\nCOPY app-static /app\nUSER nobody\nENTRYPOINT ["/app"]');
      assert.deepEqual(
        ok.filter((f) => /gokiln read/.test(f.message)).map((f) => f.rule),
        [],
      );
      // not in the context (built by CI before docker build): nothing is claimed
      assert.deepEqual(
        run('FROM scratch\nCOPY dist/app /app\nUSER 1\nENTRYPOINT ["/app"]').filter((f) => /gokiln read/.test(f.message)),
        [],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
