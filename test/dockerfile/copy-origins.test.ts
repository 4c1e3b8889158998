// Class 6 of issue #17: each COPY --from is followed back to the command that wrote the copied path, and a
// file no visible command wrote is said at info (GK000) instead of being passed over as if judged.
import { test, describe } from 'node:test';
import { strict as assert } from 'node:assert';
import { lintDockerfile } from '../../src/dockerfile/lint.js';
import { buildModel } from '../../src/dockerfile/model.js';
import { defaultKnowledge } from '../../src/dockerfile/knowledge-adapter.js';
import { copyOrigins, type Writer } from '../../src/dockerfile/copy-origins.js';

const TODAY = '2026-12-07';
const lint = (df: string) => lintDockerfile(df, { file: 'Dockerfile', today: TODAY });
const unexplained = (df: string) => lint(df).filter((f) => f.rule === 'GK000' && /no visible command/.test(f.message));

/** The writers of every COPY --from source into the final stage, as `kind@line` (1-based). */
function writers(df: string): Record<string, string[]> {
  const model = buildModel(df, { knowledge: defaultKnowledge });
  const out: Record<string, string[]> = {};
  const at = (w: Writer) => `${w.kind}@${(w.kind === 'go' ? w.inv.line : w.kind === 'context' ? w.copy.line : w.line) + 1}`;
  for (const o of copyOrigins(model, model.final!)) out[o.path] = o.writers.map(at).sort();
  return out;
}

describe('COPY --from followed to the command that wrote the path', () => {
  test('go build -o: the build that wrote /out/app, not the go install of a tool', () => {
    const df =
      'FROM golang:1.27 AS build\nRUN go install github.com/a-h/templ/cmd/templ@v0.3.1\nRUN CGO_ENABLED=0 go build -o /out/app ./cmd/app\nFROM scratch\nCOPY --from=build /out/app /app';
    assert.deepEqual(writers(df), { '/out/app': ['go@3'] });
    assert.deepEqual(unexplained(df), []);
  });
  test('go build without -o writes into WORKDIR, named after the package', () => {
    const df =
      'FROM golang:1.27 AS build\nWORKDIR /src\nRUN CGO_ENABLED=0 go build ./cmd/server\nFROM scratch\nCOPY --from=build /src/server /server';
    assert.deepEqual(writers(df), { '/src/server': ['go@3'] });
  });
  test('go build . names the binary after the module path, unknown without go.mod: any file in WORKDIR may be it (glance)', () => {
    const df =
      'FROM golang:1.17-alpine AS builder\nWORKDIR /app\nCOPY . /app\nRUN CGO_ENABLED=0 go build .\nFROM alpine:3.14\nCOPY --from=builder /app/glance .';
    assert.deepEqual(writers(df), { '/app/glance': ['context@3', 'go@4'] });
    assert.ok(lint(df).some((f) => f.rule === 'GK001' && f.severity === 'warning'));
  });
  test('go install writes $GOPATH/bin/NAME, $GOBIN/NAME, or $GOPATH/bin/GOOS_GOARCH/NAME when cross-compiling', () => {
    const df =
      'FROM golang:1.27 AS build\nRUN CGO_ENABLED=0 go install github.com/x/tool/cmd/tool@v1.2.3\nRUN GOBIN=/usr/local/out go install ./cmd/svc\n' +
      'RUN GOOS=linux GOARCH=arm64 go install ./cmd/arm\nFROM scratch\nCOPY --from=build /go/bin/tool /tool\nCOPY --from=build /usr/local/out/svc /svc\nCOPY --from=build /go/bin/linux_arm64/arm /arm';
    assert.deepEqual(writers(df), { '/go/bin/tool': ['go@2'], '/usr/local/out/svc': ['go@3'], '/go/bin/linux_arm64/arm': ['go@4'] });
    assert.deepEqual(unexplained(df), []);
  });
  test('make or a script may have written it: the build is credited to them, not to a go install of another tool', () => {
    const df =
      'FROM golang:1.27 AS build\nRUN go install github.com/a-h/templ/cmd/templ@v0.3.1\nRUN make build\nRUN ./scripts/build.sh\nFROM scratch\nCOPY --from=build /src/bin/server /server';
    assert.deepEqual(writers(df), { '/src/bin/server': ['opaque@3', 'opaque@4'] });
    assert.deepEqual(unexplained(df), []);
    assert.ok(!lint(df).some((f) => f.rule === 'GK006' && f.severity !== 'info'));
  });
  test("go run of a build program (go-ethereum's build/ci.go) may write anything, like a script", () => {
    const df =
      'FROM golang:1.27-alpine AS builder\nWORKDIR /src\nRUN go run build/ci.go install -static ./cmd/geth\nFROM alpine:3.24\nCOPY --from=builder /src/build/bin/geth /usr/local/bin/';
    assert.deepEqual(writers(df), { '/src/build/bin/geth': ['opaque@3'] });
    assert.deepEqual(unexplained(df), []);
  });
  test('COPY from the build context into the builder, then COPY --from: a prebuilt file', () => {
    const df = 'FROM alpine:3.22 AS stage\nCOPY dist/app_linux_amd64/app /bin-out/app\nFROM scratch\nCOPY --from=stage /bin-out/app /app';
    assert.deepEqual(writers(df), { '/bin-out/app': ['context@2'] });
    assert.deepEqual(unexplained(df), []);
  });
  test('followed across stages: COPY --from=a into b, then COPY --from=b into the runtime', () => {
    const df =
      'FROM golang:1.27 AS a\nRUN CGO_ENABLED=0 go build -o /out/app .\nFROM alpine:3.22 AS b\nCOPY --from=a /out/ /pack/\nRUN chmod 755 /pack/app\nFROM scratch\nCOPY --from=b /pack/app /app';
    assert.deepEqual(writers(df), { '/pack/app': ['go@2', 'run@5'] });
  });
  test('a RUN that moves the file there is its writer (cp, mv)', () => {
    const df =
      'FROM golang:1.27 AS build\nRUN CGO_ENABLED=0 go build -o /tmp/x . && mkdir -p /out && cp /tmp/x /out/app\nFROM scratch\nCOPY --from=build /out/app /app';
    assert.deepEqual(writers(df), { '/out/app': ['run@2'] });
  });
});

describe('no visible writer: GK000 info, as the rule pages say', () => {
  test('a path no command wrote (a typo, or a -o elsewhere) is named with its stage', () => {
    const df = 'FROM golang:1.27 AS build\nRUN CGO_ENABLED=1 go build -o /out/server .\nFROM scratch\nCOPY --from=build /out/app /app';
    const got = unexplained(df);
    assert.deepEqual(
      got.map((f) => [f.line, f.severity]),
      [[4, 'info']],
    );
    assert.equal(got[0]!.message, 'no visible command wrote /out/app in stage build; rules that judge the binary were not applied');
    // the cgo build that wrote /out/server is not what ships: GK006 does not judge /out/app by it
    assert.ok(!lint(df).some((f) => f.rule === 'GK006'));
    // and once the paths agree, the build is judged
    assert.ok(lint(df.replace('/out/app', '/out/server')).some((f) => f.rule === 'GK006' && f.severity === 'error'));
  });
  test('files a base image holds (CA bundle, zoneinfo, passwd, libraries) are not reported', () => {
    const df =
      'FROM golang:1.27 AS build\nRUN CGO_ENABLED=0 go build -o /app .\nFROM scratch\nCOPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\nCOPY --from=build /usr/share/zoneinfo /usr/share/zoneinfo\nCOPY --from=build /etc/passwd /etc/passwd\nCOPY --from=build /app /app';
    assert.deepEqual(unexplained(df), []);
  });
  test('a stage that is only an image: the file may come with that image, and the message says so', () => {
    const df =
      'FROM ghcr.io/example/tools:1.0 AS tools\nFROM golang:1.27 AS build\nRUN CGO_ENABLED=0 go build -o /app .\nFROM scratch\nCOPY --from=tools /opt/tool /tool\nCOPY --from=build /app /app';
    const got = unexplained(df);
    assert.equal(got.length, 1);
    assert.match(
      got[0]!.message,
      /^no visible command wrote \/opt\/tool in stage tools \(it may come with its base image ghcr\.io\/example\/tools:1\.0\)/,
    );
  });
});
