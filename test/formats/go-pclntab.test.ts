/**
 * pclntab against two independent readers: `go tool nm -size -sort address` (the symbol table) on every
 * unstripped fixture, and Go's own debug/gosym (a small program written and built here) on every ELF fixture,
 * stripped ones and the old-Go esbuild builds (layouts 1.2, 1.16, 1.18, 1.20) included.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test, before } from 'node:test';
import { strict as assert } from 'node:assert';
import { FIXTURE_NAMES, FIXTURES, fixture, type FixtureName } from '../fixtures/index.js';
import { readPclntab, PCLNTAB_MAGICS } from '../../src/formats/go/pclntab.js';
import { searchPclntab } from '../../src/formats/go/pclntab-locate.js';
import { moduledataTextByHeader } from '../../src/formats/go/moduledata.js';
import type { GoPclntab } from '../../src/formats/go/types.js';
import { openImage, openImages } from './open-image.js';
import { parseGoNm } from '../truth/go-nm.js';
import { dwarfInlinedFunctions } from '../truth/readelf.js';
import { runToolIfInstalled } from '../truth/tools.js';
import { scratchDir } from '../harness/scratch.js';

function pcln(name: string): GoPclntab {
  const p = readPclntab(openImage(fixture(name)));
  assert.ok(p, `${name}: no pclntab`);
  return p;
}

const goFixtures = FIXTURE_NAMES.filter((n) => {
  const r = FIXTURES[n];
  return r.kind === 'go' || r.kind === 'npm';
});
const unstripped = goFixtures.filter((n) => {
  const r = FIXTURES[n];
  return r.kind === 'go' && !r.truths.stripped;
});

describe('function table matches go tool nm on unstripped fixtures', () => {
  for (const name of unstripped) {
    test(name, (t) => {
      const file = fixture(name);
      const nmText = runToolIfInstalled('go', ['tool', 'nm', '-size', '-sort', 'address', file]);
      if (nmText === null) return t.skip('go missing');
      // Assembly (ABI0) functions carry an `.abi0` suffix in the symbol table only; Mach-O adds its C
      // underscore to unqualified names (`_cmpbody`, `_go:buildid`).
      const macho = FIXTURES[name].kind !== 'bad' && (FIXTURES[name] as { truths: { format: string } }).truths.format === 'macho';
      const nm = parseGoNm(nmText).map((x) => {
        let n = x.name.replace(/\.abi0$/, '');
        if (macho && n.startsWith('_') && !n.includes('.')) n = n.slice(1);
        return { ...x, name: n };
      });
      const p = pcln(name);
      const text = nm.filter((s) => s.type === 'T' || s.type === 't');
      const at = new Map<string, number>();
      for (const s of text) at.set(`${s.addr}:${s.name}`, s.size);
      // Every function of the table is a text symbol at the same address. (Mach-O symbol tables leave
      // out unqualified local assembly helpers such as `cmpbody`, so those are not counted.)
      const qualified = p.funcs.filter((f) => f.name.includes('.') && !f.name.startsWith('go:'));
      const found = qualified.filter((f) => at.has(`${f.entry}:${f.name}`)).length;
      assert.ok(found / qualified.length >= 0.99, `${name}: ${found}/${qualified.length} pclntab functions in nm`);
      // Every Go text symbol (between runtime.text and runtime.etext, with a size) is a function of the table.
      const lo = nm.find((s) => s.name === 'runtime.text')?.addr;
      const hi = nm.find((s) => s.name === 'runtime.etext')?.addr;
      assert.ok(lo !== undefined && hi !== undefined, 'runtime.text/etext symbols');
      const goText = text.filter((s) => s.addr >= lo && s.addr < hi && s.size > 0 && s.name !== 'runtime.text');
      const byKey = new Set(p.funcs.map((f) => `${f.entry}:${f.name}`));
      const matched = goText.filter((s) => byKey.has(`${s.addr}:${s.name}`)).length;
      assert.ok(matched / goText.length >= 0.99, `${name}: ${matched}/${goText.length} nm Go text symbols in pclntab`);
      // Ends are the next entry, so a function's span is its code (nm's size where the symbol table records
      // one; ELF st_size) plus alignment padding of less than 64 bytes.
      const sized = p.funcs.filter((f) => (at.get(`${f.entry}:${f.name}`) ?? 0) > 0);
      const sizeOk = sized.filter((f) => {
        const n = at.get(`${f.entry}:${f.name}`) as number;
        return f.end - f.entry >= n && f.end - f.entry - n < 64;
      }).length;
      assert.ok(sizeOk / Math.max(1, sized.length) >= 0.99, `${name}: ${sizeOk}/${sized.length} spans agree with nm sizes`);
      assert.equal(p.magic, 0xfffffff1);
      assert.equal(p.version, '1.20');
    });
  }
});

test('stripped fixture has the same functions as its unstripped twin', () => {
  const a = pcln('static').funcs.map((f) => f.name);
  const b = pcln('static-stripped').funcs.map((f) => f.name);
  assert.ok(a.length > 1000);
  assert.deepEqual(b, a);
});

// Go's debug/gosym over the ELF's .gopclntab: the Go team's own reader of every layout.
const GOSYM_MAIN = `package main

import (
	"debug/elf"
	"debug/gosym"
	"encoding/json"
	"os"
)

type dump struct {
	Funcs []fn     \`json:"funcs"\`
	Files []string \`json:"files"\`
}

type fn struct {
	Name  string \`json:"name"\`
	Entry uint64 \`json:"entry"\`
	End   uint64 \`json:"end"\`
}

func main() {
	f, err := elf.Open(os.Args[1])
	if err != nil {
		panic(err)
	}
	s := f.Section(".gopclntab")
	data, err := s.Data()
	if err != nil {
		panic(err)
	}
	text := f.Section(".text").Addr
	if len(os.Args) > 2 {
		for _, sym := range must(f.Symbols()) {
			if sym.Name == "runtime.text" {
				text = sym.Value
			}
		}
	}
	tab, err := gosym.NewTable(nil, gosym.NewLineTable(data, text))
	if err != nil {
		panic(err)
	}
	out := dump{Funcs: []fn{}, Files: []string{}}
	for _, x := range tab.Funcs {
		out.Funcs = append(out.Funcs, fn{x.Name, x.Entry, x.End})
	}
	for name := range tab.Files {
		out.Files = append(out.Files, name)
	}
	json.NewEncoder(os.Stdout).Encode(out)
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
`;

let gosymExe: string | null = null;

interface GosymDump {
  funcs: Array<{ name: string; entry: number; end: number }>;
  files: string[];
}

function gosym(file: string, useRuntimeText: boolean): GosymDump {
  assert.ok(gosymExe);
  const args = useRuntimeText ? [file, 'symtext'] : [file];
  return JSON.parse(execFileSync(gosymExe, args, { encoding: 'utf8', maxBuffer: 256 << 20 })) as GosymDump;
}

const elfGo = goFixtures.filter((n) => {
  const r = FIXTURES[n];
  return r.kind !== 'bad' && r.truths.format === 'elf' && r.truths.buildmode !== 'c-shared';
});

describe('function table matches Go debug/gosym on every ELF fixture', () => {
  before(() => {
    if (runToolIfInstalled('go', ['version']) === null) return;
    const dir = scratchDir('gokiln-gosym-');
    writeFileSync(join(dir, 'go.mod'), 'module gosymdump\n\ngo 1.21\n');
    writeFileSync(join(dir, 'main.go'), GOSYM_MAIN);
    execFileSync('go', ['build', '-o', join(dir, 'gosymdump'), '.'], {
      cwd: dir,
      stdio: 'pipe',
      env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '' },
    });
    gosymExe = join(dir, 'gosymdump');
  });
  for (const name of elfGo) {
    test(name, (t) => {
      if (!gosymExe || !existsSync(gosymExe)) return t.skip('go missing');
      const p = pcln(name);
      const r = FIXTURES[name as FixtureName];
      if (r.kind !== 'bad' && r.truths.pclntabMagic !== undefined) {
        assert.equal(p.magic, r.truths.pclntabMagic, 'magic by recipe');
      }
      assert.equal(PCLNTAB_MAGICS[p.magic], p.version);
      // gosym takes the .text address as the base for 1.18+ layouts; where Go code does not start there
      // (external linking puts C start files first) give it runtime.text, as the runtime does.
      const dump = gosym(fixture(name), r.kind === 'go' && !r.truths.stripped);
      const truth = dump.funcs;
      assert.deepEqual([...new Set(p.files)].sort(), [...dump.files].sort(), 'file table');
      assert.equal(p.funcs.length, truth.length, 'function count');
      const mismatch = p.funcs.findIndex((f, i) => f.name !== truth[i]!.name || f.entry !== truth[i]!.entry || f.end !== truth[i]!.end);
      assert.equal(
        mismatch,
        -1,
        mismatch >= 0 ? `first difference at ${mismatch}: ${JSON.stringify(p.funcs[mismatch])} vs ${JSON.stringify(truth[mismatch])}` : '',
      );
    });
  }
});

describe('other formats and placements', () => {
  test('PE: the header search inside .rdata finds the table where runtime.pclntab (nm) says it is', (t) => {
    const nmText = runToolIfInstalled('go', ['tool', 'nm', fixture('windows-amd64')]);
    if (nmText === null) return t.skip('go missing');
    const sym = /^\s*([0-9a-f]+) R runtime\.pclntab$/m.exec(nmText);
    assert.ok(sym, 'runtime.pclntab in nm');
    const img = openImage(fixture('windows-amd64'));
    const found = searchPclntab(img);
    assert.ok(found);
    assert.equal(found.section, '.rdata');
    assert.equal(found.addr, parseInt(sym[1] as string, 16));
    // Found by search, the size is the extent of header, tables and records, runtime.pclntab's own size
    // (go tool nm -size) give or take alignment, and then (Go 1.26+) the funcdata blobs, known by the
    // header's zero textStart; the function list and every function's bytes are the ones the symbols lead to.
    const sized = runToolIfInstalled('go', ['tool', 'nm', '-size', fixture('windows-amd64')]) ?? '';
    const symSize = Number(/^\s*[0-9a-f]+\s+(\d+) R runtime\.pclntab$/m.exec(sized)?.[1]);
    const searched = readPclntab({ ...img, hasSymbols: false, symbols: () => null, definedSymbols: () => [] });
    assert.ok(searched);
    assert.ok(searched.funcdata, 'funcdata found after the records');
    assert.ok(
      Math.abs(searched.size - searched.funcdata.size - symSize) <= 64,
      `${searched.size} - ${searched.funcdata.size} vs ${symSize}`,
    );
    assert.deepEqual(
      searched.funcs.map((f) => f.entry),
      pcln('windows-amd64').funcs.map((f) => f.entry),
    );
    assert.deepEqual(searched.funcdata, pcln('windows-amd64').funcdata);
    assert.deepEqual(
      searched.funcs.map((f) => f.tableBytes),
      pcln('windows-amd64').funcs.map((f) => f.tableBytes),
    );
    // Go 1.26+ tables hold no text start: PE has no .go.module section, so moduledata is found in .data
    // through its pcHeader pointer; its text field is runtime.text.
    const text = /^\s*([0-9a-f]+) T runtime\.text$/m.exec(nmText);
    assert.ok(text);
    assert.equal(moduledataTextByHeader(img, found.addr), parseInt(text[1] as string, 16));
    // the stripped PE (no symbols at all) is found the same way
    const lh = pcln('lefthook-windows-x64');
    assert.equal(lh.section, '.rdata');
    assert.ok(lh.funcs.some((f) => f.name === 'main.main'));
    assert.equal(pcln('darwin-arm64').section, '__gopclntab');
  });
  test('universal Mach-O: one table per slice', () => {
    const imgs = openImages(fixture('darwin-universal'));
    assert.equal(imgs.length, 2);
    const counts = imgs.map((i) => readPclntab(i)?.funcs.length ?? 0);
    const thin = [pcln('darwin-amd64').funcs.length, pcln('darwin-arm64').funcs.length];
    assert.deepEqual(
      [...counts].sort((a, b) => a - b),
      thin.sort((a, b) => a - b),
    );
  });
  test('tableBytes attributes most of the table and never more than it', () => {
    for (const name of ['static', 'buf', 'esbuild-go115', 'esbuild-go117']) {
      const p = pcln(name);
      const sum = p.funcs.reduce((a, f) => a + f.tableBytes, 0);
      assert.ok(sum <= p.size, `${name}: ${sum} > ${p.size}`);
      assert.ok(sum >= 0.6 * p.size, `${name}: only ${sum} of ${p.size} attributed`);
      assert.ok(p.funcs.every((f) => f.tableBytes > 0));
    }
  });
  test('Go 1.26+: the funcdata inside the table is where go tool nm puts go:func.*, and is handed out whole but for its last blob', (t) => {
    // every unstripped fixture, each format and architecture, PIE, c-shared, internal and external linking
    for (const name of unstripped.filter((n) => FIXTURES[n].kind === 'go')) {
      const nmText = runToolIfInstalled('go', ['tool', 'nm', '-size', '-sort', 'address', fixture(name)]);
      if (nmText === null) return t.skip('go missing');
      const gofunc = parseGoNm(nmText).find((s) => s.name === 'go:func.*');
      assert.ok(gofunc && gofunc.size > 50_000, `${name}: go:func.* in the symbol table`);
      for (const img of openImages(fixture(name))) {
        const p = readPclntab(img);
        assert.ok(p?.funcdata, `${name}: funcdata found inside the table`);
        const gap = gofunc.addr - (p.addr + p.funcdata.offset);
        assert.ok(gap >= 0 && gap < 32, `${name}: go:func.* begins ${gap} bytes after the function records`);
        assert.ok(
          p.funcdata.size < gofunc.size && gofunc.size - p.funcdata.size <= 64,
          `${name}: ${p.funcdata.size} of ${gofunc.size}: only the last blob is left out`,
        );
        assert.ok(gofunc.addr + gofunc.size <= p.addr + p.size, `${name}: inside the table`);
      }
    }
    const p = pcln('static');
    assert.ok(p.funcdata);
    // the stripped (and -trimpath) twin has the same blobs, and a current third-party build (go1.27) has them too
    assert.equal(pcln('static-stripped').funcdata?.size, p.funcdata.size);
    assert.ok(pcln('buf').funcdata && pcln('lefthook-linux-x64').funcdata);
    // before 1.26 go:func.* lies in .rodata, outside the table: nothing is handed out
    for (const old of ['esbuild-go119', 'esbuild-go120', 'esbuild-go117']) assert.equal(pcln(old).funcdata ?? null, null, old);
  });

  test('names stored for inlined calls: the name-table entries no function record points at, and DWARF says they are inlined', (t) => {
    if (!runToolIfInstalled('readelf', ['--version'])) return t.skip('readelf missing');
    for (const name of ['static', 'cgo-glibc', 'linux-386']) {
      const img = openImage(fixture(name));
      const p = readPclntab(img);
      assert.ok(p?.inlinedNames && p.inlinedNames.length > 500, `${name}: inlined-only names`);
      // The entries function records point at (read here from the raw 1.18+ layout) and the others fill the
      // name table exactly, but for empty entries (a lone NUL)
      const sec = img.sections.find((s) => s.name === '.gopclntab')!;
      const b = img.source.read(sec.offset, sec.fileSize);
      const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
      const ptr = b[7]!;
      const word = (i: number): number => (ptr === 8 ? Number(dv.getBigUint64(8 + i * 8, true)) : dv.getUint32(8 + i * 4, true));
      const [nfunc, nameOff, cuOff, pclnOff] = [word(0), word(3), word(4), word(7)];
      const ownOffsets = new Set<number>();
      for (let i = 0; i < nfunc; i++) ownOffsets.add(dv.getInt32(pclnOff + dv.getUint32(pclnOff + 8 * i + 4, true) + 4, true));
      const region = b.subarray(nameOff, cuOff);
      let ownBytes = 0;
      let empties = 0;
      for (let off = 0; off < region.length;) {
        const end = region.indexOf(0, off);
        if (end === off) empties++;
        else if (ownOffsets.has(off)) ownBytes += end - off + 1;
        off = end + 1;
      }
      const inlinedBytes = p.inlinedNames.reduce((s, x) => s + x.size, 0);
      assert.equal(
        ownBytes + inlinedBytes + empties,
        region.length,
        `${name}: own ${ownBytes} + inlined ${inlinedBytes} + ${empties} empty = the name table`,
      );
      // DWARF's abstract inlined subprograms (independent of the pclntab): all of them but generic shapes
      // whose DWARF names readelf's one-line output cannot hold
      const dwarf = dwarfInlinedFunctions(fixture(name));
      const missing = p.inlinedNames.filter((x) => !dwarf.has(x.name));
      assert.ok(
        missing.length <= p.inlinedNames.length * 0.005 && missing.every((x) => x.name.includes('go.shape')),
        `${name}: not inlined per DWARF: ${missing
          .slice(0, 3)
          .map((x) => x.name)
          .join(', ')}`,
      );
    }
  });

  test('ELF without section headers: the table is found by searching the loaded segments', () => {
    for (const name of ['static-stripped', 'esbuild-go115', 'esbuild-go119', 'arm64']) {
      const img = openImage(fixture(name));
      const want = readPclntab(img);
      const got = readPclntab({ ...img, sections: [] });
      assert.ok(want && got, name);
      assert.equal(got.addr, want.addr);
      assert.deepEqual(
        got.funcs.map((f) => [f.name, f.entry]),
        want.funcs.map((f) => [f.name, f.entry]),
      );
    }
  });
  test('non-Go ELF has no table', () => {
    assert.equal(readPclntab(openImage(fixture('ls'))), null);
  });
});

test('buf (58k functions, go1.27 layout) decodes', () => {
  // correctness only: the decoding time is measured by bench/pclntab.ts, never asserted in a test
  const n = readPclntab(openImage(fixture('buf')))?.funcs.length ?? 0;
  assert.ok(n > 50_000, `${n} functions`);
});

/** Length of a pc-value table: zig-zag value delta / pc delta varint pairs, ended by a 0 value delta. */
function pcValueTableLength(b: Uint8Array, off: number): number {
  let i = off;
  for (let first = true; ; first = false) {
    let v = 0;
    let shift = 0;
    for (;;) {
      const c = b[i++]!;
      v += (c & 0x7f) * 2 ** shift;
      shift += 7;
      if (c < 0x80) break;
    }
    if (v === 0 && !first) return i - off;
    while (b[i++]! >= 0x80);
  }
}

test('tableBytes = the _func record, functab entry, name, the pc tables a function uses first, and (Go 1.26+) its first-used funcdata', () => {
  for (const name of ['static', 'esbuild-go116', 'esbuild-go119']) {
    const img = openImage(fixture(name));
    const sec = img.sections.find((s) => s.name === '.gopclntab')!;
    const b = img.source.read(sec.offset, sec.fileSize);
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const ptr = b[7]!;
    const go116 = dv.getUint32(0, true) === 0xfffffffa;
    const word = (i: number): number => Number(ptr === 8 ? dv.getBigUint64(8 + i * ptr, true) : BigInt(dv.getUint32(8 + i * ptr, true)));
    const [nfunc, nameOff, pcOff, pclnOff] = go116 ? [word(0), word(2), word(5), word(6)] : [word(0), word(3), word(6), word(7)];
    const field = go116 ? ptr : 4;
    const hdr = go116 ? ptr + 36 : dv.getUint32(0, true) === 0xfffffff0 ? 40 : 44;
    const at = go116 ? ptr : 0; // offset of nameOff within _func
    const seen = new Set<number>();
    const p = pcln(name);
    const funcOff = (i: number): number =>
      pclnOff +
      Number(field === 8 ? dv.getBigUint64(pclnOff + (2 * i + 1) * 8, true) : BigInt(dv.getUint32(pclnOff + (2 * i + 1) * 4, true)));
    // Go 1.26+ (the static fixture): funcdata blobs inside the table, each the distance to the next
    // distinct offset, to the first function (in table order) that points at it; the last blob to none
    const blobOwner = new Map<number, number>();
    if (!go116 && p.funcdata) {
      for (let i = 0; i < nfunc; i++) {
        const fo = funcOff(i);
        const np = dv.getUint32(fo + 28, true);
        for (let k = 0; k < b[fo + hdr - 1]!; k++) {
          const off = dv.getUint32(fo + hdr + 4 * (np + k), true);
          if (off !== 0xffffffff && !blobOwner.has(off)) blobOwner.set(off, i);
        }
      }
    }
    const blobs = [...blobOwner.keys()].sort((x, y) => x - y);
    const funcdataBytes = new Array<number>(nfunc).fill(0);
    for (let k = 0; k + 1 < blobs.length; k++) {
      const owner = blobOwner.get(blobs[k]!)!;
      funcdataBytes[owner] = funcdataBytes[owner]! + blobs[k + 1]! - blobs[k]!;
    }
    if (name === 'static') assert.ok(blobs.length > 1000, 'the Go 1.26 fixture has funcdata in its table');
    for (let i = 0; i < nfunc; i++) {
      const fo = funcOff(i);
      const np = dv.getUint32(fo + at + 28 - (go116 ? 4 : 0), true);
      const nfd = b[fo + hdr - 1]!;
      let record = hdr + 4 * np;
      if (go116) record = Math.ceil(record / ptr) * ptr + ptr * nfd;
      else record += 4 * nfd;
      const nameStart = nameOff + dv.getInt32(fo + at + 4 - (go116 ? 4 : 0), true);
      const nameLen = b.indexOf(0, nameStart) - nameStart;
      const tables = [0, 1, 2].map((k) => dv.getUint32(fo + at + 16 - (go116 ? 4 : 0) + 4 * k, true));
      for (let k = 0; k < np; k++) tables.push(dv.getUint32(fo + hdr + 4 * k, true));
      let pcBytes = 0;
      for (const t of tables) {
        if (t === 0 || seen.has(t)) continue;
        seen.add(t);
        pcBytes += pcValueTableLength(b, pcOff + t);
      }
      assert.equal(p.funcs[i]!.tableBytes, record + 2 * field + nameLen + 1 + pcBytes + funcdataBytes[i]!, `${name} ${p.funcs[i]!.name}`);
    }
  }
});
