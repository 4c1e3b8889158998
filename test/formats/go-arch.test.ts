/**
 * Layout variants no fixture has: 32-bit pointers (GOARCH=386) and big-endian (GOARCH=mips) builds made
 * here from a tiny program, checked against `go version -m` and `go tool nm`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, before, after, describe } from 'node:test';
import { strict as assert } from 'node:assert';
import { identifyGo } from '../../src/formats/go/identity.js';
import { openImage } from './open-image.js';
import { parseGoVersionM } from '../truth/go-version-m.js';
import { parseGoNm } from '../truth/go-nm.js';
import { runToolIfInstalled } from '../truth/tools.js';

let dir = '';
let haveGo = false;

describe('32-bit and big-endian Go binaries', () => {
  before(() => {
    haveGo = runToolIfInstalled('go', ['version']) !== null;
    if (!haveGo) return;
    dir = mkdtempSync(join(tmpdir(), 'gokiln-goarch-'));
    writeFileSync(join(dir, 'go.mod'), 'module example.com/arch\n\ngo 1.21\n');
    writeFileSync(
      join(dir, 'main.go'),
      'package main\n\nimport "fmt"\n\nvar version = "dev"\n\nfunc main() { fmt.Println("arch", version) }\n',
    );
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  for (const goarch of ['386', 'mips']) {
    test(goarch, (t) => {
      if (!haveGo) return t.skip('go missing');
      const out = join(dir, `app-${goarch}`);
      execFileSync('go', ['build', '-ldflags=-X main.version=9.9', '-o', out, '.'], {
        cwd: dir,
        env: { ...process.env, CGO_ENABLED: '0', GOOS: 'linux', GOARCH: goarch, GOTOOLCHAIN: 'local', GOFLAGS: '' },
        stdio: 'pipe',
      });
      const img = openImage(out);
      const id = identifyGo(img);
      assert.deepEqual(id.problems, []);
      const bi = id.buildInfo;
      assert.ok(bi && id.pclntab);
      assert.equal(bi.ptrSize, 4);
      assert.equal(bi.bigEndian, goarch === 'mips', 'header endianness flag agrees with the ELF header');
      assert.equal(id.pclntab.ptrSize, 4);
      assert.equal(img.endian, goarch === 'mips' ? 'big' : 'little');
      const v = parseGoVersionM(runToolIfInstalled('go', ['version', '-m', out]) ?? '');
      assert.equal(bi.goVersion, v.goVersion);
      assert.equal(bi.path, v.path);
      assert.ok(bi.settings.some((s) => s.key === 'GOARCH' && s.value === goarch));
      const nm = parseGoNm(runToolIfInstalled('go', ['tool', 'nm', '-size', '-sort', 'address', out]) ?? '');
      const syms = new Set(nm.filter((s) => s.type === 'T' || s.type === 't').map((s) => `${s.addr}:${s.name.replace(/\.abi0$/, '')}`));
      const qualified = id.pclntab.funcs.filter((f) => f.name.includes('.') && !f.name.startsWith('go:'));
      const found = qualified.filter((f) => syms.has(`${f.entry}:${f.name}`)).length;
      assert.ok(found / qualified.length >= 0.99, `${found}/${qualified.length}`);
    });
  }
});
