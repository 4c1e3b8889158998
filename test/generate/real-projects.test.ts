/**
 * Issue #15's proof on three real multi-binary projects (node_exporter, litestream, cfssl at pinned
 * versions, test/gosrc/projects.ts): the plan's default stage is the main binary, examples/tests/tools are
 * left out, each binary's cgo verdict equals `CGO_ENABLED=1 go list -deps` of that command, the version
 * variable is the project's own, and the generated Dockerfile's build step, replayed from its text, builds
 * the main binary's group and the binary prints the version given with --build-arg VERSION (real-build-*.test.ts).
 */
import { test, describe } from 'node:test';
import { strict as assert } from 'node:assert';
import { scanProject } from '../../src/project/scan.js';
import { buildPlan } from '../../src/project/plan.js';
import { generateFiles } from '../../src/generate/init.js';
import { lintDockerfile } from '../../src/dockerfile/lint.js';
import { loadBuildContext } from '../../src/dockerfile/context.js';
import { readStages } from './dockerfile-text.js';
import { TODAY, needTool, run } from '../project/helpers.js';
import { REAL_PROJECTS, projectGoEnv, realProjectDir } from '../gosrc/projects.js';

const GO = needTool('go');
const skip = GO ? false : 'go not installed';

/** Each project's own version variable, and the command that prints it. */
const TRUTH: Record<string, { symbol: string; versionArgs: string[] }> = {
  node_exporter: { symbol: 'github.com/prometheus/common/version.Version', versionArgs: ['--version'] },
  litestream: { symbol: 'main.Version', versionArgs: ['version'] },
  cfssl: { symbol: 'github.com/cloudflare/cfssl/cli/version.version', versionArgs: ['version'] },
};

/** `CGO_ENABLED=1 go list -deps` of one command: its non-standard packages with cgo files. */
function goListCgo(dir: string, pkg: string): string[] {
  const r = run('go', ['list', '-deps', '-f', '{{if and .CgoFiles (not .Standard)}}{{.ImportPath}}{{end}}', pkg], {
    cwd: dir,
    env: { ...projectGoEnv(), CGO_ENABLED: '1' },
  });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter(Boolean).sort();
}

describe('plan and init on real projects', () => {
  for (const p of REAL_PROJECTS) {
    test(
      `${p.name}@${p.version}: main binary last, examples/tools left out, cgo per binary = go list -deps, the project's version variable, lint clean`,
      { skip, timeout: 1_500_000 },
      () => {
        const dir = realProjectDir(p);
        const plan = buildPlan(scanProject(dir, { env: projectGoEnv() }), { today: TODAY });
        assert.equal(plan.mainBinary?.name, p.main);
        assert.deepEqual(
          plan.binaries
            .filter((b) => !b.selected)
            .map((b) => b.binary)
            .sort(),
          [...p.excluded].sort(),
        );
        for (const b of plan.binaries) {
          const truth = goListCgo(dir, b.importPath);
          const mine = [...b.cgo.own.map((o) => o.pkg), ...b.cgo.deps.map((d) => d.pkg)].sort();
          assert.deepEqual(mine, truth, `${b.binary}: cgo packages`);
          assert.equal(b.cgo.required, truth.length > 0, `${b.binary}: cgo verdict`);
        }
        assert.equal(plan.binaries.find((b) => b.main)!.version?.symbol, TRUTH[p.name]!.symbol);
        // --no-go: the source reader gives the same verdict per binary (cgo dependencies outside vendor/ named by module)
        const noGo = buildPlan(scanProject(dir, { go: null }), { today: TODAY });
        assert.deepEqual(
          noGo.binaries.map((b) => [b.binary, b.cgo.required, b.selected, b.main]),
          plan.binaries.map((b) => [b.binary, b.cgo.required, b.selected, b.main]),
        );

        const { files, specs } = generateFiles(plan, { hasGoSum: true });
        const text = files[0]!.content;
        assert.doesNotMatch(text, /gokiln ignore/);
        // the last stage is the main binary's
        const stages = readStages(text, { platform: { os: 'linux', arch: 'amd64' } });
        const last = stages[stages.length - 1]!;
        assert.ok(
          last.copiesFrom.some((c) => c.src === `/out/${p.main}`),
          `last stage copies ${last.copiesFrom.map((c) => c.src)}`,
        );
        for (const x of p.excluded) assert.ok(!text.includes(`/out/${x} `), `${x} is not built`);
        // lint: nothing at warning or above (GK003's digest note is info), no suppression comment
        const findings = lintDockerfile(text, { file: 'Dockerfile', context: loadBuildContext(dir).context, today: TODAY });
        assert.deepEqual(
          findings.filter((f) => f.severity !== 'info').map((f) => `${f.line} ${f.rule} ${f.message}`),
          [],
        );
        assert.ok(specs.length >= 1);
      },
    );
  }
});
