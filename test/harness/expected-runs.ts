/**
 * What each example's program must do when its image runs, shared by the two proofs of the generated
 * Dockerfiles: the engine (test/engine: buildah builds, podman runs) and the text replay
 * (test/generate/dockerfile.test.ts: the RUN steps read from the text, the binary run in a stand-in rootfs)
 * — which is all the Alpine paradigm gets, since no Alpine package is reachable here. Both check the same
 * expected line and the same user.
 */
import { strict as assert } from 'node:assert';

/** `--build-arg VERSION=…`: hello-service prints it (`-X main.version=${VERSION}` took). */
export const VERSION = 'v9.9.9-gokiln';

/**
 * A command's arguments and the line it prints; or, for a server that never exits (multi-cmd's api,
 * which serves greet.Hello on :8080 and has no flags), one HTTP request and its answer.
 */
export type RunCheck =
  | { args: string[]; out: RegExp; serves?: undefined }
  | { serves: { port: number; path: string; body: RegExp }; args?: undefined; out?: undefined };

export const RUN_CHECK: Record<string, RunCheck> = {
  'hello-service': { args: ['-version'], out: new RegExp(`^${VERSION.replace(/\./g, '\\.')}\\n$`) },
  vendored: { args: [], out: /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\n$/ },
  'sqlite-cgo': { args: [], out: /^sqlite 3\.\d+\.\d+\n$/ },
  'png-cgo': { args: [], out: /^libpng 1\.6\.\d+ \(header 1\.6\.\d+\)\n$/ },
  worker: { args: [], out: /^hello, \S+\n$/ },
  api: { serves: { port: 8080, path: '/?name=gokiln', body: /^hello, gokiln\n$/ } },
  'needs-newer-go': { args: [], out: /^built with a Go 1\.27 toolchain\n$/ },
};

/**
 * hello-service without arguments serves on :8080; /time loads a time zone from the image's
 * /usr/share/zoneinfo (it does not embed time/tzdata), so a right answer proves the zoneinfo is there.
 */
export const SERVE_CHECK: Record<string, { port: number; path: string; body: RegExp }> = {
  'hello-service': { port: 8080, path: '/time?tz=Europe/Berlin', body: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[12]:00\n$/ },
};

/** How long a server is given: still serving then (killed, nothing on stderr) is a start. */
export const SERVE_MS = 1500;

/** A run met its check: a command printed what it should; a server was still serving when killed, with no error (log.Fatal prints one). */
export function assertRan(
  r: { exitCode: number | null; stdout: string; stderr: string; timedOut?: boolean },
  check: RunCheck,
  what: string,
): void {
  if (check.serves) {
    assert.equal(r.timedOut, true, `${what}: a server still serving after ${SERVE_MS} ms, but it exited ${r.exitCode}: ${r.stderr}`);
    assert.equal(r.stderr, '', what);
    return;
  }
  assert.equal(r.exitCode, 0, `${what}: ${r.stderr}`);
  assert.match(r.stdout, check.out, what);
}

/**
 * The user the program runs as: the Dockerfile's USER (numeric `uid:gid`), and, for a program that
 * prints its user name (multi-cmd's worker reads it with os/user from the image's /etc/passwd), the
 * name the runtime image gives that uid.
 */
export function assertUser(
  user: { uid: number; gid: number; name: string },
  seen: { uid?: number; gid?: number; configUser?: string; stdout?: string },
  binary: string,
  what: string,
): void {
  if (seen.configUser !== undefined) assert.equal(seen.configUser, `${user.uid}:${user.gid}`, `${what}: USER`);
  if (seen.uid !== undefined) assert.equal(seen.uid, user.uid, `${what}: uid of the running process`);
  if (seen.gid !== undefined) assert.equal(seen.gid, user.gid, `${what}: gid of the running process`);
  if (binary === 'worker' && seen.stdout !== undefined)
    assert.equal(seen.stdout, `hello, ${user.name}\n`, `${what}: the user name the image's /etc/passwd gives uid ${user.uid}`);
}
