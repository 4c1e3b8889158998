/**
 * Shared by the build tests: a small Go project written into a temporary directory (a probe that prints its
 * uid, gid, architecture, whether Europe/Berlin loads and how many CA certificates it trusts), the CLI, and
 * podman with its storage in the test's own directory and the flags this sandbox needs.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

export const PROBE_MAIN = `package main

import (
	"crypto/x509"
	"fmt"
	"os"
	"runtime"
	"time"
)

func main() {
	tz := "ok"
	if _, err := time.LoadLocation("Europe/Berlin"); err != nil {
		tz = err.Error()
	}
	certs := 0
	if pool, err := x509.SystemCertPool(); err == nil {
		certs = len(pool.Subjects()) //nolint:staticcheck // a count is all the test needs
	}
	wd, _ := os.Getwd()
	fmt.Printf("gokiln-probe uid=%d gid=%d arch=%s tz=%s certs=%d wd=%s\\n", os.Getuid(), os.Getgid(), runtime.GOARCH, tz, certs, wd)
}
`;
import { podmanStorage } from '../harness/podman-root.js';

/** A module `example.com/probe` with one main package at the root; `extra` adds files (path → text). */
export function probeProject(extra: Record<string, string> = {}, main = PROBE_MAIN): string {
  const dir = mkdtempSync(join(tmpdir(), 'gokiln-build-src-'));
  writeFileSync(join(dir, 'go.mod'), 'module example.com/probe\n\ngo 1.22\n');
  writeFileSync(join(dir, 'main.go'), main);
  for (const [p, text] of Object.entries(extra)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  return dir;
}

let cacheEnv: NodeJS.ProcessEnv | null = null;

/**
 * The CLI's environment in tests: gokiln's layer cache and pushed-blob memory in a directory of this test
 * process's own (a memory of 127.0.0.1:PORT outlives the test registry, and the next registry on that port
 * is another one; a build test must see its layers made, not copied), while the Debian archive cache and
 * the code caches stay shared, and Go keeps its own build cache (it would follow XDG_CACHE_HOME).
 */
export function cliEnv(): NodeJS.ProcessEnv {
  if (cacheEnv) return cacheEnv;
  const shared = join(process.env.XDG_CACHE_HOME || join(process.env.HOME || homedir(), '.cache'), 'gokiln');
  const own = mkdtempSync(join(tmpdir(), 'gokiln-test-cache-'));
  mkdirSync(join(own, 'gokiln'));
  for (const sub of ['debian', 'node-compile-cache', 'code-cache']) {
    mkdirSync(join(shared, sub), { recursive: true });
    symlinkSync(join(shared, sub), join(own, 'gokiln', sub));
  }
  process.on('exit', () => rmSync(own, { recursive: true, force: true }));
  const goCache = process.env.GOCACHE || spawnSync('go', ['env', 'GOCACHE'], { encoding: 'utf8' }).stdout.trim();
  cacheEnv = { XDG_CACHE_HOME: own, ...(goCache ? { GOCACHE: goCache } : {}) };
  return cacheEnv;
}

export function gokiln(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, ['dist/bin/gokiln.js', ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', GOTOOLCHAIN: 'local', ...cliEnv(), ...env },
    timeout: 15 * 60_000,
    maxBuffer: 64 << 20,
  });
}

/** podman with storage under `root` (vfs), runc, and the rlimits and network the sandbox allows. */
export function podman(root: string, args: string[]) {
  const base = [...podmanStorage(root, 'storage'), '--tmpdir', join(root, 'tmp')];
  mkdirSync(join(root, 'tmp'), { recursive: true });
  return spawnSync('podman', [...base, ...args], {
    encoding: 'utf8',
    timeout: 5 * 60_000,
    env: { ...process.env, TMPDIR: join(root, 'tmp') },
  });
}

export { RUN_FLAGS } from '../harness/podman-root.js';

/**
 * The CLI without blocking the event loop: for tests whose own process serves something the CLI talks to
 * (a fault-injecting proxy), where spawnSync would deadlock.
 */
export function gokilnAsync(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['dist/bin/gokiln.js', ...args], {
      env: { ...process.env, NO_COLOR: '1', GOTOOLCHAIN: 'local', ...cliEnv(), ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    const timer = setTimeout(() => child.kill('SIGKILL'), 10 * 60_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}
