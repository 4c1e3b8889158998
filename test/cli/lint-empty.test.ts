/**
 * A Dockerfile with no FROM at all (an empty file, only comments, only ARG) is GK000 with a fix about FROM,
 * not the generic one about lines and ARG defaults, which names nothing the file has.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../bin/gokiln.js', import.meta.url));

test('an empty or FROM-less Dockerfile: GK000 with a FROM fix, no ARG text; a bad ARG keeps the ARG fix', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gk-lint-empty-'));
  try {
    const cases: Array<[string, string]> = [
      ['empty', ''],
      ['blank', '\n\n'],
      ['comments', '# syntax=docker/dockerfile:1\n# nothing here\n'],
      ['only-arg', 'ARG GO=1.27\n'],
    ];
    for (const [name, text] of cases) {
      const f = join(dir, name);
      writeFileSync(f, text);
      const r = spawnSync(process.execPath, [CLI, 'lint', '--json', f], { encoding: 'utf8' });
      // not a Dockerfile gokiln can lint: bad input, exit 2, still reported as GK000
      assert.equal(r.status, 2, `${name}: ${r.stderr}`);
      const findings = JSON.parse(r.stdout) as Array<{ rule: string; message: string; fix: string }>;
      assert.deepEqual(
        findings.map((x) => x.rule),
        ['GK000'],
        name,
      );
      assert.match(findings[0]!.message, /^no FROM instruction/, name);
      assert.match(findings[0]!.fix, /FROM <image>/, name);
      assert.doesNotMatch(findings[0]!.fix, /ARG|--build-arg/, name);
    }
    // the generic fix still serves the problem it was written for: an ARG in FROM without a value
    const arg = join(dir, 'arg');
    writeFileSync(arg, 'ARG BASE\nFROM ${BASE}\n');
    const r = spawnSync(process.execPath, [CLI, 'lint', '--json', arg], { encoding: 'utf8' });
    const gk000 = (JSON.parse(r.stdout) as Array<{ rule: string; fix: string }>).filter((x) => x.rule === 'GK000');
    assert.ok(gk000.length > 0 && gk000.every((x) => /--build-arg/.test(x.fix)), JSON.stringify(gk000));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
