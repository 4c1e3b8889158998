/**
 * go list is asked only for the fields the graph reads (`-json=A,B`, Go 1.19+). The graph must be the same as
 * from a listing of every field, which a Go before 1.19 gives: a stand-in go that refuses `-json=…` with the
 * flag error such a Go prints makes gokiln ask again with a bare `-json`, and both graphs must be equal — on
 * the examples (with cgo, vendored) and a multi-binary project.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { readModuleSources } from '../../src/gosrc/sources.js';
import { graphFromGoList } from '../../src/gosrc/golist.js';
import { linuxTarget } from '../../src/gosrc/target.js';
import { parseGoMod } from '../../src/project/gomod.js';
import { exampleDir, needTool } from '../project/helpers.js';

const go = needTool('go');

test(
  'go list with only the fields read gives the graph of a listing of every field (and a Go without -json=FIELDS is asked again)',
  { skip: !go && 'go not installed' },
  (t) => {
    const tmp = mkdtempSync(join(tmpdir(), 'gokiln-golist-'));
    t.after(() => rmSync(tmp, { recursive: true, force: true }));
    const calls = join(tmp, 'calls');
    const oldGo = join(tmp, 'go');
    // what go1.18's flag package answers to -json=A,B, then the real go for everything else
    writeFileSync(
      oldGo,
      `#!/bin/sh\necho "$*" >> '${calls}'\nfor a in "$@"; do case "$a" in -json=*) echo "invalid boolean value \\"\${a#-json=}\\" for -json: parse error" >&2; exit 2;; esac; done\nexec '${go}' "$@"\n`,
    );
    chmodSync(oldGo, 0o755);
    const env = { ...process.env, GOTOOLCHAIN: 'local' };
    let compared = 0;
    for (const [name, cgo] of [
      ['hello-service', false],
      ['sqlite-cgo', true],
      ['vendored', false],
      ['multi-cmd', false],
    ] as const) {
      const dir = exampleDir(name);
      const mod = parseGoMod(readFileSync(join(dir, 'go.mod'), 'utf8'), 'go.mod');
      const sources = readModuleSources(dir, { modulePath: mod.module ?? undefined });
      const target = { ...linuxTarget('amd64'), cgo };
      const fields = graphFromGoList(dir, target, sources, { go: go!, env });
      const every = graphFromGoList(dir, target, sources, { go: oldGo, env });
      assert.ok('graph' in fields && 'graph' in every, `${name}: ${JSON.stringify(fields)} ${JSON.stringify(every)}`);
      assert.ok(fields.graph.packages.size > 10, `${name}: listed ${fields.graph.packages.size} packages`);
      assert.deepEqual(fields.graph, every.graph, name);
      compared += fields.graph.packages.size;
    }
    const asked = readFileSync(calls, 'utf8').trim().split('\n');
    assert.equal(asked.length, 8, 'each listing was asked twice of the old go: with fields, then with a bare -json');
    assert.ok(asked.filter((_, i) => i % 2 === 0).every((a) => /-json=ImportPath,/.test(a)));
    assert.ok(asked.filter((_, i) => i % 2 === 1).every((a) => / -json /.test(a)));
    assert.ok(compared > 100);
  },
);
