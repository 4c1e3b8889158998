/** The parsers of the Go toolchain's output (test/truth/go-version-m.ts, test/truth/go-nm.ts), on fixed samples. */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { parseGoVersionM } from './go-version-m.js';
import { parseGoNm } from './go-nm.js';

test('parseGoVersionM reads the go version -m layout, with a replacement attached to its dep', () => {
  const sample = [
    '/x/app: go1.27.3',
    '\tpath\texample.com/app',
    '\tmod\texample.com/app\t(devel)\t',
    '\tdep\texample.com/a\tv1.0.0\th1:abc=',
    '\t=>\t../a\t(devel)\t',
    '\tbuild\t-ldflags="-s -w"',
    '',
  ].join('\n');
  const p = parseGoVersionM(sample);
  assert.equal(p.goVersion, 'go1.27.3');
  assert.equal(p.path, 'example.com/app');
  assert.deepEqual(p.mod, ['example.com/app', '(devel)', '']);
  assert.deepEqual(p.deps, [{ cols: ['example.com/a', 'v1.0.0', 'h1:abc='], replace: ['../a', '(devel)', ''] }]);
  assert.deepEqual(p.build, ['-ldflags="-s -w"']);
});

test('parseGoNm reads address, size, type and names with spaces', () => {
  const s = parseGoNm('  401000        128 T main.main\n  402000 0 t go:struct { a int }.f\n');
  assert.deepEqual(s, [
    { addr: 0x401000, size: 128, type: 'T', name: 'main.main' },
    { addr: 0x402000, size: 0, type: 't', name: 'go:struct { a int }.f' },
  ]);
});
