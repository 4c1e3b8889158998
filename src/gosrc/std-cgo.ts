/**
 * Standard-library packages a program can import that link cgo (runtime/cgo) when CGO_ENABLED=1 on linux,
 * each with the package(s) through which it does: net (the cgo DNS resolver; pure Go with `-tags netgo`),
 * os/user (getpwnam and friends; pure Go with `-tags osusergo`), plugin (dlopen) and runtime/cgo itself.
 * From `CGO_ENABLED=1 GOOS=linux go list -f '{{.ImportPath}} {{join .Deps " "}}' std` (Go 1.26), internal and
 * vendor packages left out; test/dockerfile/cgo-linkage.test.ts checks it against the local toolchain.
 * A program whose packages import none of these (and no `import "C"`) is linked statically even with cgo on.
 */
export type CgoRoot = 'net' | 'os/user' | 'plugin' | 'runtime/cgo';

export const STD_CGO: Readonly<Record<string, readonly CgoRoot[]>> = {
  'archive/tar': ['os/user'],
  'crypto/tls': ['net'],
  'crypto/x509': ['net'],
  expvar: ['net'],
  'log/syslog': ['net'],
  'mime/multipart': ['net'],
  net: ['net'],
  'net/http': ['net'],
  'net/http/cgi': ['net'],
  'net/http/cookiejar': ['net'],
  'net/http/fcgi': ['net'],
  'net/http/httptest': ['net'],
  'net/http/httptrace': ['net'],
  'net/http/httputil': ['net'],
  'net/http/pprof': ['net'],
  'net/mail': ['net'],
  'net/rpc': ['net'],
  'net/rpc/jsonrpc': ['net'],
  'net/smtp': ['net'],
  'net/textproto': ['net'],
  'os/user': ['os/user'],
  plugin: ['plugin'],
  'runtime/cgo': ['runtime/cgo'],
};

/** The build tag that makes a root pure Go, when there is one. */
export const PURE_GO_TAG: Readonly<Partial<Record<CgoRoot, string>>> = { net: 'netgo', 'os/user': 'osusergo' };
