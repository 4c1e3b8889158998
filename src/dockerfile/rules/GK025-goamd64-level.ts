import type { Rule } from '../rule.js';
import type { RawFinding } from '../types.js';

const ABOVE_BASELINE = /^v[234]$/;

export const GK025: Rule = {
  id: 'GK025',
  severity: 'info',
  title: 'GOAMD64 above v1: the binary refuses to start on older CPUs',
  explanation:
    'GOAMD64=v2, v3 or v4 lets the compiler use newer instructions, and the Go runtime then checks the CPU at start-up: below that ' +
    'level the program exits at once with "This program can only be run on AMD64 processors with v3 microarchitecture support." ' +
    "(for v3). Fleets with older hosts hit it, and so do CI jobs under emulation: QEMU's default CPU model is x86-64-v1. " +
    '`gokiln inspect` shows the level a binary was built for (warning cpu-level).',
  fix: 'Keep GOAMD64=v1 (the default) for images that may run anywhere, or make sure every host has a CPU of that level.',
  check: ({ model, knowledge }) => {
    const out: RawFinding[] = [];
    for (const st of model.stages) {
      for (const g of st.goCommands) {
        if (g.sub !== 'build' && g.sub !== 'install') continue;
        const level = g.env.GOAMD64;
        const goarch = g.env.GOARCH;
        // GOAMD64 only acts on amd64 output: another literal GOARCH makes it moot (a $TARGETARCH may be amd64)
        if (!level || !ABOVE_BASELINE.test(level) || (goarch && !goarch.includes('$') && goarch !== 'amd64')) continue;
        out.push({
          line: g.line,
          message: `built with GOAMD64=${level}: on CPUs below x86-64-${level} it exits with "${knowledge.cpuLevelRefusal(level)}"`,
        });
      }
    }
    return out;
  },
};
