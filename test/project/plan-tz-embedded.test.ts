/**
 * Issue #20, mutant 5: a program that loads zones by name AND links time/tzdata needs no zoneinfo from the
 * image, so the plan asks for no tzdata package (Alpine's runtime would otherwise get `apk add tzdata`).
 * The truth: the same program, built, loads Europe/Berlin in a musl root with no /usr/share/zoneinfo;
 * without the time/tzdata import it fails there with "unknown time zone".
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { buildPlan } from '../../src/project/plan.js';
import { scanProject } from '../../src/project/scan.js';
import { planDockerfile } from '../../src/generate/dockerfile.js';
import { ensureRootfs, runInRootfs } from '../harness/rootfs.js';
import { haveTool } from '../truth/tools.js';

const TODAY = '2026-11-26';
const MAIN = (embed: boolean) => `package main

import (
	"fmt"
	"os"
	"time"${embed ? '\n\t_ "time/tzdata"' : ''}
)

func main() {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(loc.String())
}
`;

test('loads zones and links time/tzdata: no tzdata need, no tzdata package; the built program finds its zone without zoneinfo', async (t) => {
  if (!haveTool(t, 'go', ['version']) || !haveTool(t, 'bwrap', ['--version'])) return;
  const dir = mkdtempSync(join(tmpdir(), 'gk-plan-tzembed-'));
  try {
    const env = { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '', CGO_ENABLED: '0' };
    writeFileSync(join(dir, 'go.mod'), 'module example.com/tz\n\ngo 1.26\n');
    const musl = await ensureRootfs('musl'); // no /usr/share/zoneinfo there
    for (const embed of [true, false]) {
      writeFileSync(join(dir, 'main.go'), MAIN(embed));
      const plan = buildPlan(scanProject(dir, { env }), { today: TODAY });
      assert.equal(plan.needs.tzdataEmbedded, embed);
      assert.equal(plan.needs.tzdata, !embed, `tzdata need with embed=${embed}`);
      for (const paradigm of ['alpine', 'ubuntu', 'distroless'] as const) {
        const spec = planDockerfile(plan, { paradigm, hasGoSum: false });
        // Alpine's base image has no zoneinfo: only the program without time/tzdata needs the package
        const want = !embed && paradigm === 'alpine';
        assert.equal(spec.runtimePackages.packages.includes('tzdata'), want, `${paradigm}, embed=${embed}`);
      }
      const bin = join(dir, embed ? 'tz-embed' : 'tz-plain');
      execFileSync('go', ['build', '-o', bin, '.'], { cwd: dir, env });
      const r = runInRootfs(musl, bin, []);
      if (embed) assert.equal(r.stdout, 'Europe/Berlin\n', r.stderr);
      else assert.match(r.stderr, /unknown time zone Europe\/Berlin/);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
