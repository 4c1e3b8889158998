/**
 * `init --diff`: what gokiln would change in the project's own Dockerfile, and why, finding by finding:
 * lint's findings on it (given by the caller), then where it differs from the plan — the final stage's
 * runtime image, the user it runs as, the cgo setting of its builds, and BuildKit cache mounts. The
 * Dockerfile is read as text (FROM/USER/ENV/RUN lines); nothing is written.
 */
import type { Plan } from '../project/plan.js';
import type { DockerfileSpec } from './dockerfile.js';

export interface DiffItem {
  /** `lint` (with the rule id in `rule`), `runtime`, `user`, `cgo`, `cache`, `binary` */
  kind: 'lint' | 'runtime' | 'user' | 'cgo' | 'cache' | 'binary';
  rule?: string;
  /** the line of the project's Dockerfile it is about, when there is one */
  line: number | null;
  message: string;
  /** what gokiln's Dockerfile does instead */
  gokiln: string;
}

export interface LintFindingLike {
  line: number;
  rule: string;
  severity: string;
  message: string;
  fix: string;
}

interface Stage {
  line: number;
  base: string;
  name: string | null;
  lines: Array<{ line: number; text: string }>;
}

/** The stages of a Dockerfile's text, continuation lines joined, comments dropped. */
function stagesOf(text: string): Stage[] {
  const stages: Stage[] = [];
  const raw = text.split(/\r?\n/);
  for (let i = 0; i < raw.length; i++) {
    const start = i;
    let l = raw[i]!;
    while (/\\\s*$/.test(l) && i + 1 < raw.length) l = l.replace(/\\\s*$/, ' ') + raw[++i]!.replace(/^\s*#.*$/, '');
    if (/^\s*#/.test(l) || !l.trim()) continue;
    const from = /^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/i.exec(l);
    if (from) stages.push({ line: start + 1, base: from[1]!, name: from[2]?.toLowerCase() ?? null, lines: [] });
    else stages[stages.length - 1]?.lines.push({ line: start + 1, text: l.trim() });
  }
  return stages;
}

/** The image a stage finally stands on: its base, followed through `FROM <stage>`. */
function rootBase(stages: Stage[], s: Stage): string {
  let cur: Stage | undefined = s;
  for (let hops = 0; cur && hops < stages.length; hops++) {
    const next = stages.find((x) => x.name === cur!.base.toLowerCase());
    if (!next) return cur.base;
    cur = next;
  }
  return s.base;
}

export function diffDockerfile(text: string, plan: Plan, specs: DockerfileSpec[], findings: LintFindingLike[]): DiffItem[] {
  const items: DiffItem[] = findings.map((f) => ({
    kind: 'lint',
    rule: f.rule,
    line: f.line,
    message: `${f.severity}: ${f.message}`,
    gokiln: f.fix,
  }));
  const stages = stagesOf(text);
  const final = stages[stages.length - 1];
  const mainSpec = specs.find((s) => s.binaries.some((b) => b.main)) ?? specs[0]!;
  const mainBin = mainSpec.binaries.find((b) => b.main) ?? mainSpec.binaries[0]!;
  const planned = plan.binaries.find((b) => b.binary === mainBin.name);
  if (!final) return items;

  const runtime = rootBase(stages, final);
  if (runtime !== mainSpec.runtime) {
    const why = planned?.reasons.map((r) => r.message).join('; ') ?? '';
    items.push({
      kind: 'runtime',
      line: final.line,
      message: `the final stage runs on ${runtime}`,
      gokiln: `${mainBin.name} on ${mainSpec.runtime}${why ? `: ${why}` : ''}`,
    });
  }

  // USER is inherited through FROM <stage>: the last one set along the chain counts
  let user: { line: number; value: string } | null = null;
  for (
    let s: Stage | undefined = final, hops = 0;
    s && !user && hops < stages.length;
    s = stages.find((x) => x.name === s!.base.toLowerCase()), hops++
  ) {
    const u = [...s.lines].reverse().find((l) => /^USER\s/i.test(l.text));
    if (u) user = { line: u.line, value: u.text.replace(/^USER\s+/i, '') };
  }
  if (!user || /^(root|0)(:|$)/.test(user.value)) {
    const base = /distroless.*:nonroot|:debug-nonroot/.test(runtime) ? ' (the image sets nonroot itself)' : '';
    if (!base)
      items.push({
        kind: 'user',
        line: user?.line ?? final.line,
        message: user ? `runs as ${user.value}` : 'sets no USER: the process runs as root',
        gokiln: `USER ${mainSpec.user.uid}:${mainSpec.user.gid} (${mainSpec.user.name})`,
      });
  }

  const builds = stages.flatMap((s) => s.lines.filter((l) => /\bgo\s+(build|install)\b/.test(l.text)).map((l) => ({ s, l })));
  const cgoSet = stages.flatMap((s) =>
    s.lines.filter((l) => /\bCGO_ENABLED=([01])/.test(l.text)).map((l) => ({ line: l.line, on: /CGO_ENABLED=1/.test(l.text) })),
  );
  const needs = planned?.cgo.required ?? plan.cgo.required;
  if (builds.length) {
    const first = builds[0]!.l.line;
    if (!cgoSet.length && !needs) {
      items.push({
        kind: 'cgo',
        line: first,
        message:
          'CGO_ENABLED is not set: the golang Debian images have gcc, so cgo is on and a program importing net or os/user links glibc dynamically',
        gokiln: `CGO_ENABLED=0: ${mainBin.name} needs no cgo, so it is a static binary`,
      });
    } else if (cgoSet.some((c) => c.on) && !needs) {
      items.push({
        kind: 'cgo',
        line: cgoSet.find((c) => c.on)!.line,
        message: 'CGO_ENABLED=1, though no package the main binary links has import "C"',
        gokiln: `CGO_ENABLED=0: a static ${mainBin.name}, no libc needed at run time`,
      });
    } else if (cgoSet.length && cgoSet.every((c) => !c.on) && needs) {
      const what = planned ? [...planned.cgo.own.map((o) => o.pkg), ...planned.cgo.deps.map((d) => d.module)].join(', ') : '';
      items.push({
        kind: 'cgo',
        line: cgoSet[0]!.line,
        message: `CGO_ENABLED=0, but ${mainBin.name} links cgo (${what})`,
        gokiln: `CGO_ENABLED=1 on ${mainSpec.builder}, runtime ${mainSpec.runtime}`,
      });
    }
    if (!builds.some(({ l }) => /--mount=type=cache/.test(l.text))) {
      items.push({
        kind: 'cache',
        line: first,
        message: 'go build runs without BuildKit cache mounts: every build downloads the modules and compiles every package again',
        gokiln: 'RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build',
      });
    }
  }
  const left = plan.binaries.filter((b) => !b.selected && b.excluded);
  if (left.length)
    items.push({
      kind: 'binary',
      line: null,
      message: `gokiln leaves out ${left.map((b) => `${b.binary} (${b.excluded})`).join(', ')}`,
      gokiln: `builds ${plan.binaries
        .filter((b) => b.selected)
        .map((b) => b.binary)
        .join(', ')}; ${mainBin.name} is the last stage`,
    });
  return items;
}
