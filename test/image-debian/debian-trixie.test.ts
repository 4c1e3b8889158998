/**
 * Debian trixie bases from real packages (the mirror apt uses here), and the glibc check with a real binary.
 *
 * - The host (bookworm, glibc 2.36) builds the cgo binaries; trixie's glibc 2.41 runs them, so a trixie base
 *   takes them: png-cgo gets trixie's renamed libpng16-16t64 (knowledge/cgo-libraries.ts, from
 *   packages.debian.org) and zlib1g, and prints the libpng version trixie ships (the run proves which
 *   library the loader found); cgo-glibc runs as 65532 through glibc's NSS.
 * - This mirror's trixie Contents-amd64.gz is not the one its signed InRelease names (plain path and by-hash,
 *   measured with curl 2026-12-07, docs/debian.md): the resolution says so in its notes and takes the file as a
 *   hint, each pick proved by its own checked .deb.
 * - A C program compiled by trixie's gcc against trixie's glibc calls strlcpy (GLIBC_2.38): a bookworm base is
 *   refused naming trixie, a trixie base runs it.
 */
import { test, describe, after } from 'node:test';
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assembleTree, debianPackagesFor, debianPackagesText, type DebianPackagesResult } from '../../src/image/debian/index.js';
import { GokilnError } from '../../src/errors.js';
import { libraryByName } from '../../src/knowledge/cgo-libraries.js';
import { fixture } from '../fixtures/index.js';
import { MissingToolError, which } from '../fixtures/tools.js';
import { runInRootfs } from '../harness/rootfs.js';
import { BINARIES, STRLCPY_OUTPUT, debianTestBinary, trixieGlibcBinary } from './binaries.js';
import { writeTree } from './write-tree.js';
import { readStatusD } from './status-d.js';

const CI = process.env.CI === 'true';
const BASE = ['base-files', 'ca-certificates', 'netbase', 'tzdata'];

function missing(): string | false {
  for (const t of ['bwrap', 'readelf', 'gcc', 'go']) {
    if (!which(t)) {
      if (CI) throw new Error(`${t} is missing`);
      return `${t} not installed`;
    }
  }
  return false;
}

async function binary(make: () => Promise<string> | string): Promise<string | null> {
  try {
    return await make();
  } catch (e) {
    if (e instanceof MissingToolError && !CI) return null;
    throw e;
  }
}

/** The Contents index either verified (no note) or named as a hint in the notes, never silently. */
function checkNotes(r: DebianPackagesResult): void {
  for (const n of r.notes)
    assert.match(
      n,
      /\/dists\/trixie\/main\/Contents-amd64\.gz does not match the signed Release \(sha256 [0-9a-f]{64} .*expected [0-9a-f]{64}.*\); it was used as an unverified hint only/,
    );
}

describe('Debian base from packages (trixie) and the glibc check', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'gokiln-debian-trixie-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  async function runOn(r: DebianPackagesResult, bin: string, args: string[], name: string) {
    const root = join(tmp, name);
    await writeTree(assembleTree(r), root);
    for (const d of ['dev', 'proc']) mkdirSync(join(root, d), { recursive: true });
    writeFileSync(join(root, 'app'), '');
    assert.match(readFileSync(join(root, 'etc/os-release'), 'utf8'), /^VERSION_ID="13"$/m);
    assert.deepEqual(
      readStatusD(root).map((p) => `${p.name} ${p.version}`),
      r.set.packages.map((p) => `${p.name} ${p.version}`),
    );
    return runInRootfs(root, bin, args, { uid: 65532 });
  }

  test("png-cgo, built on the bookworm host: libc6, libpng16-16t64 and zlib1g of trixie; runs with trixie's libpng", async (t) => {
    const skip = missing();
    if (skip) return t.skip(skip);
    const bin = await binary(() => debianTestBinary(BINARIES.png));
    if (!bin) return t.skip('png-cgo cannot be built here');
    const r = await debianPackagesFor([bin], { suite: 'trixie' });
    checkNotes(r);
    t.diagnostic(`notes: ${JSON.stringify(r.notes)}`);
    const libpng = libraryByName('libpng')!.debian.runtime.trixie;
    assert.deepEqual(
      r.set.packages.map((p) => p.name),
      [...BASE, 'libc6', ...libpng, 'zlib1g'].sort(),
      debianPackagesText(r.set),
    );
    assert.equal(r.set.glibc.provided, '2.41');
    const png = r.set.packages.find((p) => p.name === libpng[0])!;
    assert.ok(png.reasons.some((x) => x.kind === 'soname' && x.soname === 'libpng16.so.16'));
    const run = await runOn(r, bin, [], 'png');
    assert.equal(run.exitCode, 0, `${run.stdout}\n${run.stderr}`);
    // the library the loader found is trixie's (its version), the header the host's
    const m = /^libpng (1\.6\.\d+) \(header (1\.6\.\d+)\)$/m.exec(run.stdout);
    assert.ok(m, run.stdout);
    assert.equal(m[1], /^(\d+\.\d+\.\d+)/.exec(png.version)![1]);
  });

  test('cgo-glibc (os/user): libc6 only; uid 65532 resolves to nonroot through glibc', async (t) => {
    const skip = missing();
    if (skip) return t.skip(skip);
    const bin = await binary(() => fixture('cgo-glibc'));
    if (!bin) return t.skip('cgo-glibc cannot be built here');
    const r = await debianPackagesFor([bin], { suite: 'trixie' });
    checkNotes(r);
    assert.deepEqual(
      r.set.packages.map((p) => p.name),
      [...BASE, 'libc6'].sort(),
    );
    const run = await runOn(r, bin, ['user'], 'cgo-glibc');
    assert.equal(run.exitCode, 0, run.stderr);
    assert.match(run.stdout, /^65532 nonroot$/m);
  });

  test("a binary built against trixie's glibc (strlcpy, GLIBC_2.38): refused on bookworm naming trixie, runs on trixie", async (t) => {
    const skip = missing();
    if (skip) return t.skip(skip);
    const bin = await binary(() => trixieGlibcBinary());
    if (!bin) return t.skip('the trixie builder root cannot be made here (mmdebstrap)');
    // the truth about the binary: binutils' reading of its version needs
    const versions = execFileSync('readelf', ['-VW', bin], { encoding: 'utf8' });
    assert.match(versions, /Name: GLIBC_2\.38/);
    await assert.rejects(debianPackagesFor([bin], { suite: 'bookworm' }), (e: unknown) => {
      assert.ok(e instanceof GokilnError, String(e));
      assert.equal(e.code, 'E_PLATFORM');
      assert.match(
        e.message,
        /needs GLIBC_2\.38, but bookworm's libc6 2\.36-\S+ provides glibc 2\.36; the oldest Debian release that would run it is trixie \(Debian 13, glibc 2\.41\): use --suite trixie/,
      );
      return true;
    });
    const r = await debianPackagesFor([bin], { suite: 'trixie' });
    assert.deepEqual(r.set.glibc, { required: '2.38', provided: '2.41' });
    assert.deepEqual(
      r.set.packages.map((p) => p.name),
      [...BASE, 'libc6'].sort(),
    );
    const run = await runOn(r, bin, [], 'strlcpy');
    assert.equal(run.exitCode, 0, run.stderr);
    assert.equal(run.stdout, STRLCPY_OUTPUT);
  });
});
