/**
 * Issue #20, mutant 1: a static glibc binary that keeps only one piece of glibc evidence — the GNU OS/ABI
 * byte (3, set by glibc's IFUNCs) with C start-up code, but no NT_GNU_ABI_TAG note and no symbol table —
 * is still glibc. Made from a real `gcc -static` build with objcopy/strip; readelf is the truth for what
 * each variant holds. Zeroing the OS/ABI byte of the same file makes it unrecognisable ('other'), which
 * shows the byte is what decides. With one of .init/.fini removed as well, the C start-up code left still
 * says a C library is there ('other'), not 'none'.
 * Also (issue #20's ELF survivors): a file known only by its soname (libc itself), and a loader that is
 * neither glibc's nor musl's.
 */
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { libcFamily, parseElf } from '../../src/formats/elf/index.js';
import { BufferSource } from '../../src/formats/source.js';
import { openImage } from './open-image.js';
import { haveTool, runTool } from '../truth/tools.js';
import { readelfText } from '../truth/readelf.js';
import { scratchDir } from '../harness/scratch.js';
import { buildElf, writeTemp } from './tiny-elf.js';

const parse = (b: Uint8Array) => parseElf(new BufferSource(b));
const enc = (s: string) => new TextEncoder().encode(s);
const readBytes = (p: string) => new Uint8Array(readFileSync(p));

test('static glibc with only the GNU OS/ABI byte (no ABI note, no symbols) is glibc; with OS/ABI 0 it is other', (t) => {
  for (const tool of ['gcc', 'objcopy', 'strip', 'readelf']) if (!haveTool(t, tool)) return;
  const dir = mkdtempSync(join(tmpdir(), 'gk-elf-osabi-'));
  try {
    writeFileSync(join(dir, 'ok.c'), '#include <stdio.h>\nint main(void){puts("ok");return 0;}\n');
    const bin = join(dir, 'ok');
    runTool('gcc', ['-static', '-o', bin, join(dir, 'ok.c')]);
    runTool('objcopy', ['--remove-section', '.note.ABI-tag', bin]);
    runTool('strip', ['--strip-all', bin]);
    const header = runTool('readelf', ['-hSW', bin]);
    assert.match(header, /OS\/ABI:\s+UNIX - GNU/);
    assert.doesNotMatch(header, /\.note\.ABI-tag|\.symtab/);
    assert.match(header, / \.init /);
    assert.match(header, / \.fini /);
    assert.equal(libcFamily(openImage(bin)), 'glibc');

    // e_ident[EI_OSABI] is byte 7: set it to 0 (System V) and the file keeps no glibc evidence at all
    const fd = openSync(bin, 'r+');
    try {
      writeSync(fd, Buffer.from([0]), 0, 1, 7);
    } finally {
      closeSync(fd);
    }
    assert.match(runTool('readelf', ['-h', bin]), /OS\/ABI:\s+UNIX - System V/);
    assert.equal(libcFamily(openImage(bin)), 'other');

    // the C start-up code is still there with one of .init/.fini removed: not 'none' (no C library)
    for (const gone of ['.fini', '.init']) {
      const one = join(dir, `no${gone}`);
      runTool('objcopy', ['--remove-section', gone, bin, one]);
      const sections = runTool('readelf', ['-SW', one]);
      assert.doesNotMatch(sections, new RegExp(` \\${gone} `));
      assert.match(sections, new RegExp(` \\${gone === '.init' ? '.fini' : '.init'} `));
      assert.equal(libcFamily(openImage(one)), 'other', `without ${gone}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('the C library of a file known only by its soname or its loader', () => {
  test("a shared object whose soname is musl's (libc.musl-x86_64.so.1, no DT_NEEDED, no loader) is musl's libc", (t) => {
    if (!haveTool(t, 'gcc') || !haveTool(t, 'readelf')) return;
    const dir = scratchDir('gk-elf-soname-');
    writeFileSync(join(dir, 'f.c'), 'int f(void) { return 1; }\n');
    for (const [soname, family] of [
      ['libc.musl-x86_64.so.1', 'musl'],
      ['libc.so.6', 'glibc'],
    ] as const) {
      const so = join(dir, soname);
      runTool('gcc', ['-shared', '-fPIC', '-nostdlib', `-Wl,-soname,${soname}`, '-o', so, join(dir, 'f.c')]);
      const out = readelfText(so, ['-d', '-l', '-W']);
      assert.match(out, new RegExp(`\\(SONAME\\)\\s+Library soname: \\[${soname.replaceAll('.', '\\.')}\\]`));
      assert.doesNotMatch(out, /\(NEEDED\)|Requesting program interpreter/);
      assert.equal(libcFamily(parse(readBytes(so))), family, soname);
    }
  });

  test("a linux executable whose loader is neither glibc's nor musl's (uClibc's ld-uClibc.so.0) has another libc", (t) => {
    const { bytes } = buildElf({
      bits: 32,
      little: true,
      machine: 40,
      sections: [{ name: '.interp', type: 1, flags: 2, data: enc('/lib/ld-uClibc.so.0\0') }],
      segments: [{ type: 3, section: '.interp' }],
    });
    const img = parse(bytes);
    assert.equal(img.os, 'linux');
    assert.equal(img.elf.interpreter, '/lib/ld-uClibc.so.0');
    assert.equal(libcFamily(img), 'other');
    if (!haveTool(t, 'readelf')) return;
    assert.match(readelfText(writeTemp('uclibc', bytes), ['-l', '-W']), /Requesting program interpreter: \/lib\/ld-uClibc\.so\.0\]/);
  });
});

describe('a glibc program whose first DT_NEEDED is not libc.so.6', () => {
  test('gcc … -lm: libm.so.6 comes first, libc.so.6 after it — glibc', (t) => {
    if (!haveTool(t, 'gcc') || !haveTool(t, 'readelf')) return;
    const dir = scratchDir('gk-elf-libm-');
    writeFileSync(
      join(dir, 'm.c'),
      '#include <math.h>\n#include <stdio.h>\nint main(int c, char **v) { printf("%f\\n", cbrt(c + 26.0)); return 0; }\n',
    );
    const bin = join(dir, 'm');
    runTool('gcc', ['-o', bin, join(dir, 'm.c'), '-lm']);
    const needed = [...readelfText(bin, ['-d', '-W']).matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]);
    assert.deepEqual(needed, ['libm.so.6', 'libc.so.6']);
    assert.equal(libcFamily(parse(readBytes(bin))), 'glibc');
  });
});

describe("an OpenBSD program's libc.so", () => {
  test('GOOS=openbsd go build: DT_NEEDED libc.so and the OpenBSD loader — not musl, whose libc is also named libc.so on Linux', (t) => {
    if (!haveTool(t, 'go', ['version']) || !haveTool(t, 'readelf')) return;
    const dir = scratchDir('gk-elf-openbsd-');
    writeFileSync(join(dir, 'go.mod'), 'module example.com/obsd\n\ngo 1.26\n');
    writeFileSync(join(dir, 'main.go'), 'package main\n\nimport "os"\n\nfunc main() { os.Exit(len(os.Args)) }\n');
    const bin = join(dir, 'obsd');
    runTool('go', ['build', '-o', bin, '.'], {
      cwd: dir,
      env: { GOOS: 'openbsd', GOARCH: 'amd64', CGO_ENABLED: '0', GOTOOLCHAIN: 'local', GOFLAGS: '' },
    });
    const out = readelfText(bin, ['-d', '-l', '-W']);
    assert.match(out, /\(NEEDED\)\s+Shared library: \[libc\.so\]/);
    assert.match(out, /Requesting program interpreter: \/usr\/libexec\/ld\.so\]/);
    const img = parse(readBytes(bin));
    assert.equal(img.os, 'openbsd');
    assert.equal(libcFamily(img), 'other');
  });
});
