import type { Rule } from '../rule.js';
import { ldflagsStatic } from '../go-command.js';

export const GK005: Rule = {
  id: 'GK005',
  severity: 'warning',
  title: '`-extldflags -static` does nothing with CGO_ENABLED=0',
  explanation:
    'With cgo off Go links with its internal linker and ignores -extldflags; the binary is static anyway. The flag only matters for cgo ' +
    'binaries linked externally, so its presence suggests a belief about the build that is not true.',
  fix: 'Remove -extldflags "-static" from -ldflags (keep -s -w if wanted).',
  check: ({ model }) =>
    model.stages.flatMap((st) =>
      st.goCommands
        .filter((g) => ldflagsStatic(g) && g.cgo.on === false)
        .map((g) => ({
          line: g.line,
          message: `-extldflags "-static" is ignored: ${g.cgo.reason}, so the internal linker runs and the binary is already static`,
        })),
    ),
};
