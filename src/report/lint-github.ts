/** GitHub Actions workflow commands (`::error file=…,line=…::msg`), one per finding; info becomes a notice. */
import type { Finding } from '../dockerfile/types.js';

/** Data part escaping per the Actions toolkit: %, CR, LF. */
function escData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
/** Property values also escape `:` and `,`. */
function escProp(s: string): string {
  return escData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function lintGithub(findings: Finding[]): string {
  return findings
    .map((f) => {
      const cmd = f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'notice';
      return `::${cmd} file=${escProp(f.file)},line=${f.line},col=${f.column},title=${escProp(`${f.rule}`)}::${escData(`${f.message}\nfix: ${f.fix}`)}`;
    })
    .map((l) => l + '\n')
    .join('');
}
