import type { Rule } from '../rule.js';
import type { RawFinding } from '../types.js';
import { goMinor } from '../../project/gomod.js';
import { imageLabel } from '../rule-helpers.js';
import { supportPhase, supportSentence } from '../../knowledge/eol.js';

export const GK022: Rule = {
  id: 'GK022',
  severity: 'warning',
  title: 'Builder Go or base OS release past its end of support',
  explanation:
    'A Go release gets security fixes until two newer major releases exist; Alpine, Debian, Ubuntu and distroless releases have published ' +
    "end-of-support days. Past them, known vulnerabilities are not fixed. Debian LTS keeps patching a release's public images for two more years " +
    '(a notice, info); Ubuntu ESM needs Ubuntu Pro and does not reach the public ubuntu image (a warning). The day of the run decides ' +
    "(dates from the knowledge module; inspect's eol and lts-only warnings say the same).",
  fix: 'Move to a Go release that is still supported and a supported OS release (a newer golang, alpine, debian, ubuntu or distroless debianN tag).',
  check: ({ model, knowledge, today }) => {
    const out: RawFinding[] = [];
    for (const st of model.stages) {
      if (st.parentStage !== undefined || !st.base) continue;
      const img = st.image;
      if (img.kind === 'golang' && img.goOlderThanKnown) {
        out.push({
          line: st.line,
          message: `Go ${img.goVersion ?? '?'} (${imageLabel(st)}) is older than every Go release in gokiln's tables, whose support has already ended`,
        });
      } else if (img.kind === 'golang' && img.goVersion) {
        const minor = goMinor(img.goVersion);
        const end = knowledge.goSupportEnd(minor);
        if (end && today >= end) out.push({ line: st.line, message: `Go ${minor} (${imageLabel(st)}) is out of support since ${end}` });
      }
      const os =
        img.os ??
        (img.kind === 'distroless' && img.distrolessDebian !== undefined
          ? { distro: 'distroless' as const, release: String(img.distrolessDebian) }
          : undefined);
      if (!os) continue;
      if (img.olderThanKnown) {
        const what = os.release.startsWith('before ')
          ? `${imageLabel(st)} is built on ${cap(os.distro)} ${os.release}, and every such release is past its support`
          : `${cap(os.distro)} ${os.release} (${imageLabel(st)}) is older than the oldest release in gokiln's support tables, whose support has already ended`;
        out.push({ line: st.line, message: `${what}: it gets no security fixes` });
        continue;
      }
      if (os.distro === 'rhel') continue;
      const sup = knowledge.osSupport(os.distro, os.release);
      if (!sup) continue;
      const phase = supportPhase(sup, today);
      if (phase.phase === 'supported') continue;
      const name = os.distro === 'distroless' ? `distroless debian${os.release}` : `${cap(os.distro)} ${os.release}`;
      // the sentence inspect's warning gives too; Debian LTS still patches the public image, so only a notice
      const message = supportSentence(`${name} (${imageLabel(st)})`, phase);
      out.push(
        phase.phase === 'extended' && phase.kind === 'lts' ? { line: st.line, severity: 'info', message } : { line: st.line, message },
      );
    }
    return out;
  },
};

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
