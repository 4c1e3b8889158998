/**
 * The ELF reader on real files — the Go fixtures (local builds and third-party binaries from npm), and
 * the system's own /bin/ls, libc.so.6 and loaders — compared with `readelf -h -S -l -d -V -n -W` and
 * with `file`'s words for linking, debug info and stripping.
 */
import { describe, test, type TestContext } from 'node:test';
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GokilnError } from '../../src/errors.js';
import { BufferSource, type ByteSource } from '../../src/formats/source.js';
import { FileSource } from '../../src/io/file-source.js';
import {
  elfDynamicSymbols,
  elfLinking,
  glibcProvided,
  highestGlibc,
  libcFamily,
  parseElf,
  type ElfImage,
} from '../../src/formats/elf/index.js';
import { FIXTURES, FIXTURE_NAMES, fixture, type GoTruths } from '../fixtures/index.js';
import { failInCiIfMissing, haveTool, runTool } from '../truth/tools.js';
import { readelfReport, readelfText } from '../truth/readelf.js';
import { scratchDir } from '../harness/scratch.js';

/** `file`'s verdict: linking words, debug info, stripped. */
function fileWords(path: string) {
  const out = runTool('file', ['-L', path]);
  const linking = /static-pie linked/.test(out)
    ? 'static-pie'
    : /statically linked/.test(out)
      ? 'static'
      : /dynamically linked/.test(out)
        ? 'dynamic'
        : null;
  return { out, linking, debugInfo: /with debug_info/.test(out), stripped: /, stripped/.test(out) };
}

function open(path: string): ElfImage {
  const src = FileSource.open(path);
  return parseElf(src);
}

/** Every check that compares one parse with readelf and file. */
function compareWithTools(t: TestContext, path: string, img: ElfImage): void {
  if (!haveTool(t, 'readelf') || !haveTool(t, 'file')) return;
  const r = readelfReport(path);
  assert.equal(img.bits, r.bits);
  assert.equal(img.endian, r.endian);
  assert.equal(img.entry, r.entry);
  assert.equal(img.elf.type, r.type.toLowerCase());
  assert.deepEqual(
    img.sections.map((s) => s.name),
    r.sections.map((s) => s.name),
  );
  img.sections.forEach((s, i) => {
    const x = r.sections[i]!;
    assert.deepEqual(
      [s.name, s.addr, s.offset, s.size, s.fileSize, s.alloc, s.write, s.exec],
      [
        x.name,
        x.addr,
        x.offset,
        x.size,
        x.type === 'NOBITS' || x.type === 'NULL' ? 0 : x.size,
        x.flags.includes('A'),
        x.flags.includes('W'),
        x.flags.includes('X'),
      ],
      `section ${i}`,
    );
  });
  assert.deepEqual(
    img.segments.map((g) => [g.type, g.offset, g.vaddr, g.fileSize, g.memSize, g.read, g.write, g.exec]),
    r.segments.map((g) => [g.type, g.offset, g.vaddr, g.fileSize, g.memSize, g.flags[0] === 'R', g.flags[1] === 'W', g.flags[2] === 'E']),
  );
  assert.equal(img.elf.interpreter, r.interpreter);
  assert.deepEqual(img.elf.needed, r.needed);
  assert.equal(img.elf.soname, r.soname);
  assert.deepEqual(img.elf.rpath, r.rpath);
  assert.deepEqual(img.elf.runpath, r.runpath);
  assert.equal(img.elf.pieFlag, r.pieFlag);
  assert.equal(img.elf.hasDynamic, r.hasDynamic);
  assert.deepEqual(img.elf.versionNeeds, r.needs);
  assert.deepEqual(img.elf.versionDefs, r.defs);
  assert.equal(img.elf.gnuBuildId, r.gnuBuildId);
  assert.equal(img.elf.goBuildId, r.goBuildId);
  assert.deepEqual(img.elf.problems, []);

  const f = fileWords(path);
  assert.ok(f.linking, `file gave no linking word: ${f.out}`);
  // file calls glibc's own loader (PT_DYNAMIC, no DT_NEEDED, no DT_FLAGS_1) "dynamically linked"; it
  // needs nothing at run time, which is what 'static-pie' says (see elfLinking)
  const fileSaysLoaderDynamic =
    f.linking === 'dynamic' && img.elf.interpreter === null && img.elf.needed.length === 0 && img.elf.flags1 === null;
  assert.equal(elfLinking(img), fileSaysLoaderDynamic ? 'static-pie' : f.linking, f.out);
  assert.equal(img.hasDwarf, f.debugInfo, f.out);
  assert.equal(img.hasSymbols, !f.stripped, f.out);
}

function truthsOf(name: string): GoTruths | null {
  const r = FIXTURES[name as keyof typeof FIXTURES];
  return r && 'truths' in r ? r.truths : null;
}

/** The libc a fixture was built against, by construction: the C compiler of a cgo build, none without cgo. */
function builtLibc(name: string): string {
  const r = FIXTURES[name as keyof typeof FIXTURES];
  if (r.kind === 'go' && r.truths.cgo) return r.cc === 'musl-gcc' ? 'musl' : 'glibc';
  if (r.kind === 'go' || r.kind === 'npm') return r.truths.libc === 'none' && r.truths.linking === 'static' ? 'none' : r.truths.libc;
  return 'glibc'; // ls: a copy of Debian's /bin/ls
}

const ELF_FIXTURES = FIXTURE_NAMES.filter((n) => {
  const t = truthsOf(n);
  return (t !== null && t.format === 'elf') || n === 'ls';
});

describe('ELF fixtures compared with readelf and file', () => {
  for (const name of ELF_FIXTURES) {
    test(name, (t) => {
      const path = fixture(name);
      const img = open(path);
      const truths = truthsOf(name);
      if (truths) {
        assert.equal(img.os, truths.goos);
        assert.equal(img.arch, truths.goarch);
        if (truths.interpreter !== undefined) assert.equal(img.elf.interpreter, truths.interpreter);
      }
      assert.equal(libcFamily(img), builtLibc(name));
      compareWithTools(t, path, img);
    });
  }
});

describe('system libraries and loaders', () => {
  const libc = '/lib/x86_64-linux-gnu/libc.so.6';
  const files = ['/bin/ls', libc, '/lib64/ld-linux-x86-64.so.2', '/lib/ld-musl-x86_64.so.1'];
  for (const path of files) {
    test(path, (t) => {
      if (!existsSync(path)) {
        if (process.env.CI === 'true') assert.fail(`${path} missing (the musl loader comes with musl-tools)`);
        t.skip(`${path} not on this machine`);
        return;
      }
      const img = open(path);
      assert.equal(img.arch, 'amd64');
      compareWithTools(t, path, img);
    });
  }

  test('libc.so.6: glibcProvided matches getconf GNU_LIBC_VERSION', (t) => {
    if (!existsSync(libc)) {
      if (process.env.CI === 'true') assert.fail(`${libc} missing (the CI host is glibc amd64)`);
      return t.skip(`${libc} not on this machine`);
    }
    if (!haveTool(t, 'readelf')) return;
    let getconf: string;
    try {
      getconf = runTool('getconf', ['GNU_LIBC_VERSION']).trim();
    } catch {
      failInCiIfMissing('getconf');
      t.skip('getconf not available');
      return;
    }
    const img = open(libc);
    assert.equal(`glibc ${glibcProvided(img.elf.versionDefs)}`, getconf);
    assert.equal(libcFamily(img), 'glibc');
    assert.equal(img.elf.soname, 'libc.so.6');
  });

  test('ld-musl relocates itself: static-pie, no interpreter', (t) => {
    const musl = '/lib/ld-musl-x86_64.so.1';
    if (!existsSync(musl)) {
      if (process.env.CI === 'true') assert.fail(`${musl} missing (musl-tools)`);
      return t.skip('musl not installed');
    }
    const img = open(musl);
    assert.equal(elfLinking(img), 'static-pie');
    assert.equal(img.elf.interpreter, null);
  });
});

describe('C programs linked every way, compared with file', () => {
  // gcc and musl-gcc make the kinds Go fixtures do not: a true static-pie, a non-PIE dynamic
  // executable, a shared library without DT_FLAGS_1. The compiler used is the libc truth.
  const variants: Array<[string, string, string[]]> = [
    ['gcc default (PIE, dynamic)', 'gcc', []],
    ['gcc -no-pie', 'gcc', ['-no-pie']],
    ['gcc -static', 'gcc', ['-static']],
    ['gcc -static-pie', 'gcc', ['-static-pie']],
    ['gcc -shared', 'gcc', ['-shared', '-fPIC']],
    ['gcc -Wl,-rpath', 'gcc', ['-Wl,-rpath,/opt/a:/opt/b', '-Wl,--disable-new-dtags']],
    ['gcc -Wl,--enable-new-dtags runpath', 'gcc', ['-Wl,-rpath,$ORIGIN/lib', '-Wl,--enable-new-dtags']],
    ['musl-gcc dynamic', 'musl-gcc', []],
    ['musl-gcc -static', 'musl-gcc', ['-static']],
    ['musl-gcc -static-pie', 'musl-gcc', ['-static-pie']],
  ];
  let dir: string | null = null;
  for (const [label, cc, flags] of variants) {
    test(label, (t) => {
      if (!haveTool(t, cc)) return;
      dir ??= scratchDir('gokiln-elf-cc-');
      const src = join(dir, 'hello.c');
      writeFileSync(src, '#include <stdio.h>\nint main(void) { puts("hi"); return 0; }\n');
      const out = join(dir, label.replace(/\W+/g, '_'));
      runTool(cc, [...flags, '-o', out, src]);
      const img = open(out);
      assert.equal(libcFamily(img), cc === 'musl-gcc' ? 'musl' : 'glibc');
      compareWithTools(t, out, img);
    });
  }
});

describe('version needs of cgo binaries', () => {
  test('highestGlibc equals the largest GLIBC_ version by sort -V', (t) => {
    if (!haveTool(t, 'readelf') || !haveTool(t, 'sort')) return;
    for (const name of ['cgo-glibc', 'sqlite', 'cshared', 'ls']) {
      const path = fixture(name);
      const all = readelfReport(path)
        .needs.flatMap((n) => n.versions)
        .filter((v) => /^GLIBC_\d/.test(v));
      assert.ok(all.length > 0, `${name} needs GLIBC versions`);
      const sorted = runTool('sh', [
        '-c',
        `printf '%s\\n' ${all.map((v) => v.replace('GLIBC_', '')).join(' ')} | sort -V | tail -n 1`,
      ]).trim();
      assert.equal(highestGlibc(open(path).elf.versionNeeds), sorted, name);
    }
  });
  test('musl and static binaries need no glibc version', () => {
    for (const name of ['musl-dynamic', 'musl-static', 'static', 'glibc-static']) {
      assert.equal(highestGlibc(open(fixture(name)).elf.versionNeeds), null, name);
    }
  });
});

describe('symbol tables', () => {
  test('.symtab of static and cgo-glibc equals readelf -s, entry by entry', (t) => {
    if (!haveTool(t, 'readelf')) return;
    for (const name of ['static', 'cgo-glibc']) {
      const path = fixture(name);
      const img = open(path);
      const out = readelfText(path, ['-s', '-W']);
      const tables = out.split(/\nSymbol table '/);
      const rowsOf = (tableName: string) => {
        const text = tables.find((x) => x.startsWith(tableName)) ?? '';
        return [...text.matchAll(/^ +\d+: ([0-9a-f]+) +(\d+|0x[0-9a-f]+) +\w+ +\w+ +\w+ +(\S+)[ \t]*(.*)$/gm)]
          .slice(1)
          .map((m) => [m[4]!.replace(/@.*$/, ''), parseInt(m[1]!, 16), Number(m[2]), m[3] === 'UND' ? 'undef' : null]);
      };
      const syms = img.symbols()!;
      assert.deepEqual(
        syms.map((s) => [s.name, s.addr, s.size, s.kind === 'undef' ? 'undef' : null]),
        rowsOf(".symtab'"),
        name,
      );
      const main = syms.find((s) => s.name === 'main.main');
      assert.equal(main?.kind, 'text');
      assert.equal(img.sections[main!.section]?.name, '.text');
      const dyn = elfDynamicSymbols(img);
      const dynRows = rowsOf(".dynsym'");
      if (dynRows.length === 0) assert.equal(dyn, null);
      else
        assert.deepEqual(
          dyn!.map((s) => [s.name, s.addr, s.size, s.kind === 'undef' ? 'undef' : null]),
          dynRows,
          `${name} .dynsym`,
        );
    }
  });
  test('a stripped binary has no symbol table', () => {
    const img = open(fixture('static-stripped'));
    assert.equal(img.hasSymbols, false);
    assert.equal(img.symbols(), null);
  });
});

describe('reads by offset', () => {
  test('parsing a large binary reads a small part of it', () => {
    const path = fixture('buf');
    const file = FileSource.open(path);
    let bytes = 0;
    const counting: ByteSource = {
      size: file.size,
      read(offset: number, length: number) {
        bytes += length;
        return file.read(offset, length);
      },
    };
    const img = parseElf(counting);
    assert.ok(img.sections.length > 10);
    assert.ok(file.size > 10 << 20, 'buf is a large binary');
    assert.ok(bytes < 64 << 10, `read ${bytes} of ${file.size} bytes`);
    file.close();
  });
});

describe('damage in an optional part of a real binary', () => {
  test('cgo-glibc with a broken .gnu.version_r: a problem is recorded, the rest is read', (t) => {
    if (!haveTool(t, 'readelf')) return;
    const path = fixture('cgo-glibc');
    const r = readelfReport(path);
    const vr = r.sections.find((s) => s.name === '.gnu.version_r')!;
    const bytes = new Uint8Array(readFileSync(path));
    new DataView(bytes.buffer).setUint32(vr.offset + 4, 0xfffffff0, true); // vn_file of the first record
    const img = parseElf(new BufferSource(bytes));
    assert.deepEqual(img.elf.versionNeeds, []);
    assert.equal(img.elf.problems.length, 1);
    assert.equal(img.elf.problems[0]!.code, 'E_CORRUPT');
    assert.deepEqual(img.elf.needed, r.needed);
    assert.equal(img.elf.interpreter, r.interpreter);
    assert.equal(img.sections.length, r.sections.length);
  });
});

describe('bad inputs from the fixtures', () => {
  for (const name of ['truncated-elf', 'corrupt-shoff', 'corrupt-section', 'script', 'text'] as const) {
    test(name, () => {
      const r = FIXTURES[name] as { expectedErrorCode: string };
      const bytes = readFileSync(fixture(name));
      assert.throws(
        () => parseElf(new BufferSource(bytes)),
        (e: unknown) => e instanceof GokilnError && e.code === r.expectedErrorCode,
      );
    });
  }
});
