/**
 * The build half of issue #15's proof on a real project (real-projects.test.ts has the plan half): the
 * generated Dockerfile's build step for the main binary's group, replayed from its text (dockerfile-text.ts)
 * with --build-arg VERSION, builds every binary of the group, and the main binary prints that version.
 * One file per project, so each heavy build has the test runner's per-file time of its own.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { scanProject } from '../../src/project/scan.js';
import { buildPlan } from '../../src/project/plan.js';
import { generateFiles } from '../../src/generate/init.js';
import { readStages } from './dockerfile-text.js';
import { spawnSync } from 'node:child_process';
import { TODAY, needTool, run } from '../project/helpers.js';
import { copyRealProject, projectGoEnv, type RealProject } from '../gosrc/projects.js';

const VERSION = '9.9.9-gokiln';

export function realBuildTest(p: RealProject, versionArgs: string[]): void {
  const skip = needTool('go') ? false : 'go not installed';
  test(
    `${p.name}@${p.version}: the Dockerfile's build step, replayed from its text, builds the main binary's group; --build-arg VERSION shows in its version output`,
    { skip, timeout: 1_500_000 },
    (t) => {
      const copy = copyRealProject(p);
      const out = mkdtempSync(join(tmpdir(), 'gokiln-real-out-'));
      try {
        const plan = buildPlan(scanProject(copy, { env: projectGoEnv() }), { today: TODAY });
        const { files, specs } = generateFiles(plan, { hasGoSum: true });
        const text = files[0]!.content;
        const group = specs.find((s) => s.binaries.some((b) => b.main))!;
        const stage = readStages(text, { platform: { os: 'linux', arch: 'amd64' }, buildArgs: { VERSION } }).find(
          (s) => s.name === group.stages.build,
        )!;
        assert.ok(stage, `stage ${group.stages.build}`);
        // the builder image's environment: none of the host's Go settings, the local Go, modules from the cache or vendor/
        const base: NodeJS.ProcessEnv = Object.fromEntries(
          Object.entries(projectGoEnv()).filter(([k]) => !/^(CGO_\w+|GOOS|GOARCH|GOFLAGS|GOPROXY)$/.test(k)),
        );
        base.GOPROXY = 'off';
        base.GOFLAGS = '-modcacherw';
        const ran: string[] = [];
        for (const r of stage.runs) {
          const command = r.command.replace(/(^|\s)\/out\//g, `$1${out}/`);
          ran.push(command);
          // a cold cgo build of go-sqlite3 (cfssl) takes minutes on a busy 2-core machine: the step gets 20 minutes
          const x: { status: number | null; stderr: string } = spawnSync('sh', ['-c', command], {
            cwd: copy,
            env: { ...base, ...r.env, GOFLAGS: [base.GOFLAGS, r.env.GOFLAGS].filter(Boolean).join(' ') },
            encoding: 'utf8',
            timeout: 1_200_000,
            maxBuffer: 64 << 20,
          });
          assert.equal(x.status, 0, `${command}\n${x.stderr}`);
        }
        t.diagnostic(`ran: ${ran.join(' | ')}`);
        assert.deepEqual(readdirSync(out).sort(), group.binaries.map((b) => b.name).sort());
        const v = run(join(out, p.main), versionArgs, { env: { ...process.env, HOME: out } });
        assert.match(
          `${v.stdout}${v.stderr}`,
          new RegExp(VERSION.replace(/\./g, '\\.')),
          `${p.main} ${versionArgs.join(' ')}: ${v.stdout}${v.stderr}`,
        );
      } finally {
        rmSync(copy, { recursive: true, force: true });
        rmSync(out, { recursive: true, force: true });
      }
    },
  );
}
