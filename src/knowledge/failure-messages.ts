/**
 * The error texts users meet when a Go program and its image do not fit, each with its cause, the fix,
 * and where the exact wording comes from. `text` is the message with `{placeholders}`; `key` is the part
 * that stays the same whatever the placeholders are (what to grep a log for, what tests match).
 */
import { SRC, KNOWLEDGE_CHECKED } from './provenance.js';

export interface FailureMessage {
  /** Stable id, shared with verdict reason / warning codes where one exists. */
  id: string;
  /** The message with placeholders: {path}, {file}, {lib}, {version}, {zone}, {port}. */
  text: string;
  /** The invariant part. */
  key: string;
  /** Who prints it. */
  emitter: string;
  cause: string;
  fix: string;
  source: string;
  checked: string;
}

export const FAILURE_MESSAGES: FailureMessage[] = [
  {
    id: 'no-interpreter',
    text: 'exec {path}: no such file or directory',
    key: 'no such file or directory',
    emitter: 'Docker/runc: execve(2) fails with ENOENT because the ELF interpreter (PT_INTERP) does not exist in the image',
    cause:
      'a dynamically linked binary whose loader is missing: a glibc binary on Alpine, scratch or distroless/static; a musl binary on a glibc image',
    fix: 'build with CGO_ENABLED=0, or use a runtime with the same libc as the builder',
    source: `${SRC.runc}; distroless#1227, docker-library/golang#453`,
    checked: KNOWLEDGE_CHECKED,
  },
  {
    id: 'no-interpreter-busybox',
    text: '/bin/sh: {path}: not found',
    key: 'not found',
    emitter: 'busybox ash (Alpine) when the program is started from a shell',
    cause: 'same as no-interpreter: execve returns ENOENT for the missing loader, the shell reports the program as not found',
    fix: 'as for no-interpreter',
    source: SRC.facts,
    checked: KNOWLEDGE_CHECKED,
  },
  {
    id: 'no-interpreter-bash',
    text: 'bash: {path}: cannot execute: required file not found',
    key: 'cannot execute: required file not found',
    emitter: 'bash 5.1+ (Debian 12+, Ubuntu 22.04+) when execve returns ENOENT for an existing file',
    cause: 'the file exists but its ELF interpreter does not: a musl binary on glibc or the reverse',
    fix: 'match the libc',
    source: SRC.facts,
    checked: KNOWLEDGE_CHECKED,
  },
  {
    id: 'glibc-too-old',
    text: "{path}: {file}: version `GLIBC_{version}' not found (required by {path})",
    key: 'version `GLIBC_',
    emitter: 'glibc ld.so (elf/dl-version.c): one line per missing version, in the order the binary lists them',
    cause: 'the binary was linked against a newer glibc (e.g. golang:bookworm, 2.36) than the runtime has (e.g. bullseye, 2.31)',
    fix: 'build and run on the same Debian release, or build with CGO_ENABLED=0',
    source: `${SRC.glibcRtld}; docker-library/golang#466; distroless#1342`,
    checked: KNOWLEDGE_CHECKED,
  },
  {
    id: 'missing-library',
    text: '{path}: error while loading shared libraries: {lib}: cannot open shared object file: No such file or directory',
    key: 'error while loading shared libraries',
    emitter: 'glibc ld.so (elf/dl-load.c)',
    cause: 'a DT_NEEDED library is not in the image (e.g. libsqlite3.so.0, libstdc++.so.6 in distroless/base)',
    fix: 'install the library in the runtime image, use distroless/cc for libstdc++, or link it statically',
    source: SRC.glibcRtld,
    checked: KNOWLEDGE_CHECKED,
  },
  {
    id: 'missing-library-musl',
    text: 'Error loading shared library {lib}: No such file or directory (needed by {path})',
    key: 'Error loading shared library',
    emitter: 'musl ld.so (ldso/dynlink.c)',
    cause: 'a DT_NEEDED library is not in the Alpine image',
    fix: 'apk add the package holding it',
    source: SRC.muslLdso,
    checked: KNOWLEDGE_CHECKED,
  },
  {
    id: 'wrong-arch',
    text: 'exec {path}: exec format error',
    key: 'exec format error',
    emitter: 'Docker/runc: execve(2) fails with ENOEXEC',
    cause: 'the binary is for another CPU architecture (GOARCH) or OS than the image platform, e.g. TARGETARCH not passed to go build',
    fix: 'FROM --platform=$BUILDPLATFORM for the builder and GOOS=$TARGETOS GOARCH=$TARGETARCH for go build',
    source: `${SRC.runc}; container-structure-test#359`,
    checked: KNOWLEDGE_CHECKED,
  },
  {
    id: 'user-not-found',
    text: 'unable to find user {user}: no matching entries in passwd file',
    key: 'no matching entries in passwd file',
    emitter:
      'runc (libcontainer/user GetExecUser, now github.com/moby/sys/user) when the container starts; docker run prints it after "Error response from daemon:"',
    cause:
      "USER names a user that is not in the image's /etc/passwd, or the image has no /etc/passwd at all (scratch); only a numeric uid needs no entry",
    fix: 'use a numeric USER (65532:65532), a user the image has (nonroot on distroless, nobody), or create it (adduser/useradd) in the stage',
    source:
      'opencontainers/runc libcontainer/user/user.go GetExecUser (ErrNoPasswdEntries; a nil passwd reader for a missing /etc/passwd takes the same path)',
    checked: KNOWLEDGE_CHECKED,
  },
  {
    id: 'group-not-found',
    text: 'unable to find group {group}: no matching entries in group file',
    key: 'no matching entries in group file',
    emitter: 'runc (libcontainer/user GetExecUser) when the container starts',
    cause: "USER user:group names a group that is not in the image's /etc/group (or there is none); a numeric gid needs no entry",
    fix: 'use a numeric group, or one the image has',
    source: 'opencontainers/runc libcontainer/user/user.go GetExecUser (ErrNoGroupEntries)',
    checked: KNOWLEDGE_CHECKED,
  },
  {
    id: 'cpu-level',
    text: 'This program can only be run on AMD64 processors with {level} microarchitecture support.',
    key: 'microarchitecture support',
    emitter: "the Go runtime's start-up check (runtime·rt0_go), before main; exit status 1",
    cause:
      'built with GOAMD64=v2, v3 or v4 and run on a CPU below that level: an older server, or an emulator whose default CPU model is x86-64-v1 (QEMU qemu64)',
    fix: 'build with GOAMD64=v1 (the default) for images that may run anywhere, or pin the hosts to CPUs of that level',
    source:
      'Go src/runtime/asm_amd64.s (the GOAMD64 feature check in rt0_go); reproduced with qemu-x86_64 -cpu qemu64 on GOAMD64=v2 and v3 builds of the hello fixture',
    checked: KNOWLEDGE_CHECKED,
  },
  {
    id: 'not-executable',
    text: 'exec {path}: permission denied',
    key: 'permission denied',
    emitter:
      'Docker/runc: execve(2) fails with EACCES for a file without the execute bit; a shared library made executable dies of SIGSEGV instead (exit code 139, no message)',
    cause: 'a shared library (-buildmode=c-shared/plugin) or an object file used as the program',
    fix: 'build the program with the default -buildmode=exe (or pie)',
    source: `${SRC.runc}; reproduced with bwrap and a runc-like launcher on Debian 12`,
    checked: KNOWLEDGE_CHECKED,
  },
  {
    id: 'no-ca-certs',
    text: 'tls: failed to verify certificate: x509: certificate signed by unknown authority',
    key: 'x509: certificate signed by unknown authority',
    emitter: 'Go crypto/x509 (the tls: prefix since Go 1.20)',
    cause: 'no CA bundle (/etc/ssl/certs/ca-certificates.crt) in the image, e.g. scratch',
    fix: 'COPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/, or use distroless/static',
    source: 'Go crypto/x509 root_unix.go and verify.go',
    checked: KNOWLEDGE_CHECKED,
  },
  {
    id: 'no-zoneinfo',
    text: 'unknown time zone {zone}',
    key: 'unknown time zone',
    emitter: 'Go time.LoadLocation',
    cause: 'no /usr/share/zoneinfo in the image and time/tzdata not linked in',
    fix: 'install tzdata, import _ "time/tzdata", or build with -tags timetzdata (about 450 KB)',
    source: 'Go time/zoneinfo.go, zoneinfo_read.go',
    checked: KNOWLEDGE_CHECKED,
  },
  {
    id: 'cgo-stub-sqlite',
    text: "Binary was compiled with 'CGO_ENABLED=0', go-sqlite3 requires cgo to work. This is a stub",
    key: 'go-sqlite3 requires cgo to work',
    emitter: 'github.com/mattn/go-sqlite3 (sqlite3_other.go stub)',
    cause: 'mattn/go-sqlite3 built without cgo',
    fix: 'build with cgo (and a runtime with its libc), or use a pure-Go driver (modernc.org/sqlite)',
    source: SRC.facts,
    checked: KNOWLEDGE_CHECKED,
  },
  {
    id: 'go-too-old',
    text: 'go: go.mod requires go >= {version} (running go {running}; GOTOOLCHAIN=local)',
    key: 'go.mod requires go >=',
    emitter: 'cmd/go (Go 1.21+) in the official golang images, which set GOTOOLCHAIN=local',
    cause: 'the builder image is older than the go line of go.mod',
    fix: 'use a golang tag at or above the go line',
    source: `${SRC.facts}; ${SRC.golangTemplate}`,
    checked: KNOWLEDGE_CHECKED,
  },
  {
    id: 'inconsistent-vendoring',
    text: 'go: inconsistent vendoring in {dir}',
    key: 'inconsistent vendoring',
    emitter: 'cmd/go',
    cause: 'vendor/modules.txt out of date with go.mod',
    fix: 'go mod vendor',
    source: SRC.facts,
    checked: KNOWLEDGE_CHECKED,
  },
  {
    id: 'privileged-port',
    text: 'listen tcp :{port}: bind: permission denied',
    key: 'bind: permission denied',
    emitter: 'Go net (EACCES from bind(2))',
    cause: 'a non-root user (distroless :nonroot runs as 65532) binding a port below 1024',
    fix: 'listen on a port >= 1024',
    source: SRC.facts,
    checked: KNOWLEDGE_CHECKED,
  },
];

export function failureMessage(id: string): FailureMessage | null {
  return FAILURE_MESSAGES.find((m) => m.id === id) ?? null;
}

/** Fills `{placeholders}` of a message text; unknown ones stay as written. */
export function renderMessage(text: string, values: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (all, k: string) => values[k] ?? all);
}

/** The failure messages whose invariant part appears in a log text (for `verify` and docs). */
export function matchFailure(log: string): FailureMessage[] {
  return FAILURE_MESSAGES.filter((m) => log.includes(m.key));
}
