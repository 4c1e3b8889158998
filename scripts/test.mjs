#!/usr/bin/env node
// `npm test` after the build: makes a fresh machine ready, then builds the fixtures and runs the tests,
// and always ends with run-tests.mjs's "N passed, N failed" line.
//
//  1. The system packages the tests need are the APT_PACKAGES list of .ci/run (read from there, so the
//     list lives in one place). Missing ones are installed with apt-get when it may (root, apt-get present,
//     GOKILN_NO_INSTALL unset); otherwise each is named with the command that installs it, and the tests
//     that need it skip (in CI, CI=true, they fail).
//  2. The run gets a TMPDIR of its own; whatever a test leaves there is named and counted as a failure,
//     and the directory is removed, so a run leaves nothing in /tmp.
//  3. A fixture build that fails is a failure too, but the tests still run (those whose fixture is
//     missing say which and why).
//
//   node scripts/test.mjs [word…]       (what `npm test -- word…` runs)
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The APT_PACKAGES array of a bash script (.ci/run): its words, without comments. */
export function aptPackages(script) {
  const m = /^APT_PACKAGES=\(\n?([\s\S]*?)^\)/m.exec(script);
  if (!m) throw new Error('.ci/run has no APT_PACKAGES=( … ) list');
  return m[1]
    .split('\n')
    .map((l) => l.replace(/#.*$/, '').trim())
    .flatMap((l) => l.split(/\s+/))
    .filter(Boolean);
}

/** Packages of `names` that dpkg does not list as installed ('ii'); null when there is no dpkg-query. */
export function missingPackages(names) {
  const r = spawnSync('dpkg-query', ['-W', '-f', '${db:Status-Abbrev} ${Package}\n', ...names], { encoding: 'utf8' });
  if (r.error) return null;
  const installed = new Set(
    r.stdout
      .split('\n')
      .filter((l) => l.startsWith('ii'))
      .map((l) => l.split(/\s+/)[1]?.replace(/:.*$/, '')),
  );
  return names.filter((n) => !installed.has(n));
}

function onPath(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}

/**
 * What to do about missing packages: install them (root with apt-get, not refused by GOKILN_NO_INSTALL)
 * or tell the user how. Pure, so a test can ask about any situation.
 */
export function installPlan(missing, { uid, hasAptGet, env }) {
  if (missing.length === 0) return { action: 'none' };
  const cmd = `apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  if (uid === 0 && hasAptGet && !env.GOKILN_NO_INSTALL) return { action: 'install', command: cmd };
  const why = uid !== 0 ? 'not root' : !hasAptGet ? 'no apt-get' : 'GOKILN_NO_INSTALL is set';
  return {
    action: 'tell',
    message:
      `npm test: missing system packages (${why}, so not installed): ${missing.join(', ')}.\n` +
      `  the tests that need them are skipped here and fail in CI. Install them with:\n` +
      `    ${uid === 0 ? '' : 'sudo '}${cmd}\n` +
      `  or run .ci/run as root, which installs them and runs the tests.`,
  };
}

function ensureSystemPackages() {
  const names = aptPackages(readFileSync(join(ROOT, '.ci/run'), 'utf8'));
  const missing = missingPackages(names);
  if (missing === null) {
    process.stdout.write(
      `npm test: no dpkg here; the tests need these Debian packages or their equivalents (list in .ci/run): ${names.join(' ')}\n`,
    );
    return;
  }
  const plan = installPlan(missing, { uid: process.getuid?.() ?? -1, hasAptGet: onPath('apt-get'), env: process.env });
  if (plan.action === 'none') return;
  if (plan.action === 'tell') {
    process.stdout.write(plan.message + '\n');
    return;
  }
  process.stdout.write(`npm test: installing ${missing.join(' ')} with apt-get (set GOKILN_NO_INSTALL=1 not to)\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const upd = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  const inst =
    upd.status === 0
      ? spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env })
      : upd;
  if (inst.status !== 0) process.stdout.write(`npm test: apt-get failed; install by hand: ${plan.command}\n`);
}

function main() {
  const words = process.argv.slice(2);
  ensureSystemPackages();
  for (const tool of ['go', 'gcc']) {
    if (!onPath(tool))
      process.stdout.write(
        `npm test: ${tool} is not on PATH: the fixtures that need it are skipped (README: Go 1.21+ and gcc are required)\n`,
      );
  }
  const tmp = mkdtempSync(join(tmpdir(), 'gokiln-test-run-'));
  // like /tmp itself: tests that drop root (uid 65534, to check permission errors) must reach their files
  chmodSync(tmp, 0o1777);
  const env = { ...process.env, TMPDIR: tmp, GOKILN_TMP_GUARD: tmp };
  let setupFailed = 0;
  try {
    const fx = spawnSync(process.execPath, ['dist/test/fixtures/build.js'], { cwd: ROOT, stdio: 'inherit', env });
    if (fx.status !== 0) {
      setupFailed++;
      process.stdout.write('npm test: the fixture build failed (see above); running the tests anyway\n');
    }
    const t = spawnSync(process.execPath, ['scripts/run-tests.mjs', ...words], {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...env, GOKILN_SETUP_FAILED: String(setupFailed) },
    });
    process.exitCode = t.status ?? 1;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
