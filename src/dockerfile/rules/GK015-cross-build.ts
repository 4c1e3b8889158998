import type { Rule } from '../rule.js';
import type { RawFinding } from '../types.js';
import { imageChain } from '../rule-helpers.js';
import { cgoLinkage } from '../cgo-linkage.js';
import type { DockerfileModel, GoInvocation, Stage } from '../model.js';
import { buildsReaching } from '../stage-graph.js';

const TARGET_ARCH = /\$\{?TARGET(ARCH|PLATFORM)\}?/;

/** GOARCH taken from the target platform: `GOARCH=$TARGETARCH` inline, exported or from ENV/ARG. */
function goarchFromTarget(g: GoInvocation, chain: Stage[]): boolean {
  return (
    TARGET_ARCH.test(g.env.GOARCH ?? '') ||
    /\bGOARCH=["']?\$\{?TARGETARCH\b/.test(g.run.script) ||
    chain.some((s) => TARGET_ARCH.test(s.env.GOARCH ?? ''))
  );
}

/** A C cross compiler is arranged: CC/CC_FOR_TARGET set, or tonistiigi/xx's wrappers (xx-go, xx-clang, xx-apt-get). */
function crossCompilerSet(g: GoInvocation): boolean {
  return ['CC', 'CC_FOR_TARGET'].some((n) => (g.env[n] ?? '') !== '') || /\bxx-(go|clang|gcc|apt-get|apk|info)\b/.test(g.run.script);
}

const crossCgoFix = (pinned: string) =>
  'install a C cross compiler and name it: CC=aarch64-linux-gnu-gcc with apt-get install gcc-aarch64-linux-gnu (one per target), or ' +
  'tonistiigi/xx (COPY --from=tonistiigi/xx / /, xx-apt-get install gcc libc6-dev, xx-go build); or build with CGO_ENABLED=0; ' +
  `or drop --platform=${pinned} so each platform builds in its own (emulated) builder`;

export const GK015: Rule = {
  id: 'GK015',
  severity: 'error',
  title: 'Cross build without --platform=$BUILDPLATFORM or without passing TARGETARCH',
  explanation:
    'For multi-platform images the builder should run natively (FROM --platform=$BUILDPLATFORM) and let Go cross-compile with ' +
    "GOOS=$TARGETOS GOARCH=$TARGETARCH. A native builder without GOARCH builds every platform's binary for the build machine " +
    '("exec format error"); GOARCH from TARGETARCH without --platform runs the compiler under emulation; and TARGETARCH is empty in a ' +
    'stage that does not declare ARG TARGETARCH. A builder pinned to one platform (--platform=linux/amd64) runs natively only on ' +
    "machines of that architecture. And CGO_ENABLED=1 with a foreign GOARCH needs a C cross compiler: the builder's gcc compiles only " +
    'for its own architecture, so a program that uses cgo fails to build for every other platform (Go turns cgo off by default when ' +
    'cross-compiling, so this needs CGO_ENABLED=1 set).',
  fix: 'FROM --platform=$BUILDPLATFORM golang:… AS build, ARG TARGETOS TARGETARCH, RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build …',
  check: ({ model }) => {
    const out: RawFinding[] = [];
    for (const st of model.stages) {
      const chain = imageChain(model, st);
      const root = chain[chain.length - 1]!;
      const nativeBuilder = /\$\{?BUILDPLATFORM\}?/.test(root.platform ?? '');
      const declared = (n: string) => chain.some((s) => s.declaredArgs.has(n));
      if (st.isFinal && /\$\{?BUILDPLATFORM\}?/.test(st.platform ?? '') && st.goCommands.length === 0) {
        out.push({
          line: st.line,
          message: "the final stage uses --platform=$BUILDPLATFORM, so every platform's image gets the build machine's base",
          fix: 'drop --platform from the runtime stage',
        });
      }
      for (const g of st.goCommands) {
        if (g.sub !== 'build' && g.sub !== 'install') continue;
        const text = g.run.script;
        const usesTarget =
          /\$\{?TARGET(ARCH|OS|PLATFORM)\}?/.test(text) || chain.some((s) => /TARGET(ARCH|OS)/.test(JSON.stringify(s.env)));
        for (const name of ['TARGETARCH', 'TARGETOS']) {
          if (new RegExp(`\\$\\{?${name}\\}?`).test(text) && !declared(name)) {
            out.push({
              line: g.line,
              message: `${name} is used but the stage does not declare ARG ${name}, so it is empty here`,
              fix: `add ARG ${name} in this stage`,
            });
          }
        }
        const goarch = g.env.GOARCH;
        const fixedPlatform =
          root.platform !== undefined && root.platform !== '' && !/\$\{?(BUILD|TARGET)/.test(root.platform) ? root.platform : undefined;
        if (nativeBuilder && (goarch === undefined || goarch === '') && !/\bGOARCH=/.test(text)) {
          // a generator or a pinned tool (go install tool@v1.2.3) built for the build machine on purpose is
          // fine as long as it runs there: only a binary that lands in a stage of the target platform is wrong
          if (!reachesTargetPlatform(model, g)) continue;
          out.push({
            line: g.line,
            message:
              'the builder runs on $BUILDPLATFORM but go build does not set GOARCH, so every target platform gets a binary for the build machine',
            fix: 'set GOOS=$TARGETOS GOARCH=$TARGETARCH (with ARG TARGETOS TARGETARCH)',
          });
        } else if (fixedPlatform && usesTarget && st.image.kind === 'golang') {
          // an empty architecture (`linux/`, which no builder accepts) names the whole value, as a bare `linux` does
          const arch = fixedPlatform.split('/')[1] || fixedPlatform;
          out.push({
            line: root.line,
            severity: 'warning',
            message: `go build takes GOARCH from TARGETARCH, and the builder is pinned to --platform=${fixedPlatform}: the compiler runs natively only on ${arch} build machines and emulated on every other one`,
            fix: `FROM --platform=$BUILDPLATFORM instead of --platform=${fixedPlatform}, so the compiler always runs natively and cross-compiles`,
          });
        } else if (!nativeBuilder && !root.platform && usesTarget && st.image.kind === 'golang') {
          out.push({
            line: root.line,
            severity: 'warning',
            message:
              'go build takes GOARCH from TARGETARCH but the builder has no --platform=$BUILDPLATFORM, so the compiler runs emulated for each foreign platform',
            fix: 'FROM --platform=$BUILDPLATFORM for the builder stage',
          });
        }
        // cgo cross-compiled: the builder's gcc makes code for its own architecture only
        const builderFixed = nativeBuilder || fixedPlatform !== undefined;
        if (builderFixed && g.cgo.on === true && g.cgo.explicit && goarchFromTarget(g, chain) && !crossCompilerSet(g)) {
          const link = cgoLinkage(model.context, g);
          if (link.links !== false) {
            const host = nativeBuilder ? 'the build machine' : fixedPlatform!;
            const what = `CGO_ENABLED=1 with GOARCH=$TARGETARCH on a builder fixed to ${nativeBuilder ? '$BUILDPLATFORM' : fixedPlatform}, and no C cross compiler (CC)`;
            out.push({
              line: g.line,
              severity: link.links === true ? 'error' : 'warning',
              message:
                link.links === true
                  ? `${what}: the program uses cgo (${link.why}), and ${host}'s gcc cannot compile C for another architecture, so the build fails for every platform but ${host}'s (as for runtime/cgo: gcc_<arch>.S: Assembler messages)`
                  : `${what}: if any package of the program uses cgo (import "C", or net, os/user), ${host}'s gcc cannot compile it for another architecture and the build fails for every platform but ${host}'s; ${link.why}`,
              fix: crossCgoFix(nativeBuilder ? '$BUILDPLATFORM' : fixedPlatform!),
            });
          }
        }
      }
    }
    return dedupe(out);
  },
};

/**
 * A stage runs on the target platform unless its FROM chain is pinned to $BUILDPLATFORM; the final stage is
 * the image published for the target platform whatever its FROM says.
 */
function onTargetPlatform(model: DockerfileModel, s: Stage): boolean {
  if (s.isFinal) return true;
  const chain = imageChain(model, s);
  return !/\$\{?BUILDPLATFORM\}?/.test(chain[chain.length - 1]!.platform ?? '');
}

/** Does the output of `g` end up in a stage that runs on the target platform (by COPY --from, or FROM the builder)? */
function reachesTargetPlatform(model: DockerfileModel, g: GoInvocation): boolean {
  return model.stages.some((s) => onTargetPlatform(model, s) && buildsReaching(model, s).some((b) => b.inv === g));
}

function dedupe(fs: RawFinding[]): RawFinding[] {
  const seen = new Set<string>();
  return fs.filter((f) => {
    const k = `${f.line}:${f.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
