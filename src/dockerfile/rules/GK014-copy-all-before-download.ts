import type { Rule } from '../rule.js';
import type { RawFinding } from '../types.js';

export const GK014: Rule = {
  id: 'GK014',
  severity: 'warning',
  title: '`COPY . .` before `go mod download`',
  explanation:
    'Docker reuses a layer only while everything before it is unchanged. Copying the whole context before `go mod download` means any ' +
    'source edit invalidates the download layer and every module is fetched again. Copy go.mod and go.sum first, download, then copy the rest.',
  fix: 'COPY go.mod go.sum ./ then RUN go mod download, then COPY . .',
  check: ({ model }) => {
    const out: RawFinding[] = [];
    for (const st of model.stages) {
      const dl = st.goCommands.find((g) => g.sub === 'mod download');
      if (!dl) continue;
      const all = st.copies.find(
        (c) => c.line < dl.run.line && c.fromStage === undefined && c.from === undefined && c.sources.some((s) => s === '.' || s === './'),
      );
      if (!all) continue;
      out.push({
        line: all.line,
        message: `${all.keyword} of the whole context on line ${all.line + 1} comes before go mod download on line ${dl.run.line + 1}, so every source change re-downloads modules`,
      });
    }
    return out;
  },
};
