import type { Rule } from '../rule.js';
import type { RawFinding } from '../types.js';
import { imageChain } from '../rule-helpers.js';

export const GK015: Rule = {
  id: 'GK015',
  severity: 'error',
  title: 'Cross build without --platform=$BUILDPLATFORM or without passing TARGETARCH',
  explanation:
    'For multi-platform images the builder should run natively (FROM --platform=$BUILDPLATFORM) and let Go cross-compile with ' +
    'GOOS=$TARGETOS GOARCH=$TARGETARCH. A native builder without GOARCH builds every platform\'s binary for the build machine ' +
    '("exec format error"); GOARCH from TARGETARCH without --platform runs the compiler under emulation; and TARGETARCH is empty in a ' +
    'stage that does not declare ARG TARGETARCH.',
  fix: 'FROM --platform=$BUILDPLATFORM golang:… AS build, ARG TARGETOS TARGETARCH, RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build …',
  check: ({ model }) => {
    const out: RawFinding[] = [];
    for (const st of model.stages) {
      const chain = imageChain(model, st);
      const root = chain[chain.length - 1]!;
      const nativeBuilder = /\$\{?BUILDPLATFORM\}?/.test(root.platform ?? '');
      const declared = (n: string) => chain.some((s) => s.declaredArgs.has(n));
      if (st.isFinal && /\$\{?BUILDPLATFORM\}?/.test(st.platform ?? '') && st.goCommands.length === 0) {
        out.push({ line: st.line, message: 'the final stage uses --platform=$BUILDPLATFORM, so every platform\'s image gets the build machine\'s base', fix: 'drop --platform from the runtime stage' });
      }
      for (const g of st.goCommands) {
        if (g.sub !== 'build' && g.sub !== 'install') continue;
        const text = g.run.script;
        const usesTarget = /\$\{?TARGET(ARCH|OS|PLATFORM)\}?/.test(text) || chain.some((s) => /TARGET(ARCH|OS)/.test(JSON.stringify(s.env)));
        for (const name of ['TARGETARCH', 'TARGETOS']) {
          if (new RegExp(`\\$\\{?${name}\\}?`).test(text) && !declared(name)) {
            out.push({ line: g.line, message: `${name} is used but the stage does not declare ARG ${name}, so it is empty here`, fix: `add ARG ${name} in this stage` });
          }
        }
        const goarch = g.env.GOARCH;
        if (nativeBuilder && (goarch === undefined || goarch === '') && !/\bGOARCH=/.test(text)) {
          out.push({ line: g.line, message: 'the builder runs on $BUILDPLATFORM but go build does not set GOARCH, so every target platform gets a binary for the build machine', fix: 'set GOOS=$TARGETOS GOARCH=$TARGETARCH (with ARG TARGETOS TARGETARCH)' });
        } else if (!nativeBuilder && usesTarget && st.image.kind === 'golang') {
          out.push({ line: root.line, severity: 'warning', message: 'go build takes GOARCH from TARGETARCH but the builder has no --platform=$BUILDPLATFORM, so the compiler runs emulated for each foreign platform', fix: 'FROM --platform=$BUILDPLATFORM for the builder stage' });
        }
      }
    }
    return dedupe(out);
  },
};

function dedupe(fs: RawFinding[]): RawFinding[] {
  const seen = new Set<string>();
  return fs.filter((f) => {
    const k = `${f.line}:${f.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
