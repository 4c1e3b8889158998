/**
 * The Dockerfile with pins (generate/pin.ts, no network): every FROM that names an image carries its digest,
 * in every group of a multi-binary project (a cgo command and a static one get a builder and a runtime
 * each), the stage references stay as they are, and baseImages lists exactly the images the text names.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanProject } from '../../src/project/scan.js';
import { buildPlan } from '../../src/project/plan.js';
import { generateFiles } from '../../src/generate/init.js';
import { baseImages, pinned } from '../../src/generate/pin.js';
import { lintDockerfile } from '../../src/dockerfile/lint.js';
import { needTool } from '../project/helpers.js';
import { scratchDir } from '../harness/scratch.js';
import { TODAY } from '../project/helpers.js';

test('a cgo and a static command: each group’s builder and runtime pinned, stage references untouched, lint finds nothing', (t) => {
  if (!needTool('go')) return t.skip('go not installed');
  const dir = scratchDir('gokiln-pin-groups-');
  const files: Record<string, string> = {
    'go.mod': 'module example.com/mixed\n\ngo 1.26\n',
    'cmd/mixed/main.go': 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("static") }\n',
    'cmd/withc/main.go':
      'package main\n\n/*\n#include <stdlib.h>\n*/\nimport "C"\n\nimport "fmt"\n\nfunc main() { fmt.Println(C.abs(-1)) }\n',
  };
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), c);
  }
  const plan = buildPlan(scanProject(dir), { today: TODAY });
  const plain = generateFiles(plan, { hasGoSum: false });
  assert.equal(plain.specs.length, 2, 'two groups: cgo and static');
  const images = baseImages(plain.specs);
  const pins = Object.fromEntries(images.map((ref, i) => [ref, `sha256:${String(i + 1).repeat(64)}`]));
  const text = generateFiles(plan, { hasGoSum: false, pins }).files[0]!.content;
  const froms = [...text.matchAll(/^FROM (?:--platform=\S+ )?(\S+)/gm)].map((m) => m[1]!);
  const stages = new Set([...text.matchAll(/ AS (\S+)$/gm)].map((m) => m[1]!));
  const external = froms.filter((f) => !stages.has(f));
  assert.equal(external.length, 4, text);
  for (const f of external) assert.match(f, /@sha256:\d{64}$/, f);
  assert.deepEqual([...new Set(external.map((f) => f.replace(/@.*$/, '')))].sort(), [...images].sort());
  for (const ref of images) assert.ok(external.includes(pinned(ref, pins)), ref);
  // only the digests and the header differ from the unpinned file
  assert.equal(text.replace(/@sha256:\d{64}/g, '').replace(' --pin-digests', ''), plain.files[0]!.content);
  assert.deepEqual(lintDockerfile(text, { file: 'Dockerfile', today: TODAY }), []);
  assert.ok(
    lintDockerfile(plain.files[0]!.content, { file: 'Dockerfile', today: TODAY }).every((f) => f.rule === 'GK003' && f.severity === 'info'),
  );
});
