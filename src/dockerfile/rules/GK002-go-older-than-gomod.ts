import type { Rule } from '../rule.js';
import type { RawFinding } from '../types.js';
import { compareGoVersions, goMinor } from '../../project/gomod.js';
import { imageLabel } from '../rule-helpers.js';

export const GK002: Rule = {
  id: 'GK002',
  severity: 'error',
  title: "Builder Go is older than go.mod's go line",
  explanation:
    "Official golang images set GOTOOLCHAIN=local, so a go.mod whose `go` line is newer than the image's Go stops the build with " +
    '"go: go.mod requires go >= 1.N (running go 1.M; GOTOOLCHAIN=local)". Since Go 1.21 the go line is a strict minimum.',
  fix: "Use a golang image at least as new as go.mod's go line.",
  check: ({ model }) => {
    const mod = model.context.goMod;
    if (!mod?.go) return [];
    const out: RawFinding[] = [];
    for (const st of model.stages) {
      const img = st.image;
      if (img.kind !== 'golang' || !img.goVersion) continue;
      if (st.parentStage !== undefined) continue;
      const runsGo = model.stages.some((s) => chainHas(model.stages, s.index, st.index) && s.goCommands.length > 0);
      if (!runsGo) continue;
      // images built before GOTOOLCHAIN=local was set (golang:1.21.0) run with Go's default, auto: the go
      // command downloads the toolchain go.mod asks for (go.dev/doc/toolchain)
      const tc = st.env.GOTOOLCHAIN ?? (img.gotoolchainLocal === false ? 'auto' : 'local');
      if (tc !== 'local') continue;
      const tag = img.goVersion;
      // `golang:1.22` is the newest 1.22.x; only a patch-pinned tag can be older than `go 1.22.5`
      const older = /^\d+\.\d+$/.test(tag) ? compareGoVersions(goMinor(mod.go), tag) > 0 : compareGoVersions(mod.go, tag) > 0;
      if (!older) continue;
      out.push({
        line: st.line,
        message:
          `${imageLabel(st)} has Go ${tag} but go.mod requires go >= ${mod.go}; with GOTOOLCHAIN=local the build fails` +
          (mod.toolchain ? ` (its toolchain ${mod.toolchain} line is not downloaded either)` : ''),
        fix: `use golang:${goMinor(mod.go)}${variantSuffix(st.base?.tag)} or newer`,
      });
    }
    return out;
  },
};

function chainHas(stages: { parentStage?: number }[], from: number, target: number): boolean {
  for (let i: number | undefined = from; i !== undefined; i = stages[i]?.parentStage) if (i === target) return true;
  return false;
}

function variantSuffix(tag: string | undefined): string {
  const m = /^\d+(?:\.\d+)*(-.*)?$/.exec(tag ?? '');
  return m?.[1] ?? '';
}
