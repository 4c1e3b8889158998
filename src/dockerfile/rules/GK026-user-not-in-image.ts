import type { Rule } from '../rule.js';
import type { RawFinding } from '../types.js';
import type { DockerfileModel, Stage } from '../model.js';
import { imageChain, imageLabel, runtimeStages } from '../rule-helpers.js';

const NUMERIC = /^\d+$/;

/** Something before `line` in the stage or its FROM ancestors may create the name: a RUN that mentions it (adduser, useradd, echo >> /etc/passwd…). */
function mayCreate(chain: Stage[], line: number, name: string): boolean {
  const word = new RegExp(`(^|[^\\w.-])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\w.-])`);
  return chain.some((s) => s.runs.some((r) => r.line < line && word.test(r.script)));
}

/** A COPY/ADD that brings /etc/passwd or /etc/group (or all of /etc) into the image before `line`. */
function copiesAccounts(chain: Stage[], line: number, file: 'passwd' | 'group'): boolean {
  const re = new RegExp(`(^|/)etc/?$|(^|/)etc/${file}$|(^|/)${file}$`);
  const brings = (c: Stage['copies'][number]) =>
    c.sources.some((src) => re.test(src.replace(/\/+$/, ''))) || re.test(c.destPath) || (c.from !== undefined && c.sources.includes('/'));
  return chain.some((s) => s.copies.some((c) => c.line < line && brings(c)));
}

/** Stages whose USER matters: the images that run, and any stage with a RUN after the USER (BuildKit resolves the user for it). */
function checkedUsers(model: DockerfileModel): { stage: Stage; line: number; value: string }[] {
  const runtimes = new Set(runtimeStages(model).map((s) => s.index));
  const out: { stage: Stage; line: number; value: string }[] = [];
  for (const st of model.stages) {
    const own = st.users.filter((u) => u.line > st.line);
    own.forEach((u, i) => {
      const next = own[i + 1]?.line ?? Infinity;
      const last = i === own.length - 1;
      if ((last && runtimes.has(st.index)) || st.runs.some((r) => r.line > u.line && r.line < next)) out.push({ stage: st, ...u });
    });
  }
  return out;
}

export const GK026: Rule = {
  id: 'GK026',
  severity: 'error',
  title: 'USER names a user or group the image does not have',
  explanation:
    "A USER given by name is looked up in the image's own /etc/passwd (and a group name in /etc/group) when the container starts; a name " +
    'that is not there stops it before the program runs: "unable to find user nonroot: no matching entries in passwd file". scratch has ' +
    "no /etc/passwd at all; alpine and debian have root and nobody but no nonroot (distroless's 65532). A numeric uid (and gid) needs no " +
    'entry and always works. gokiln checks names against what it knows of the base image, and accepts a name a RUN in the stage (or its ' +
    'ancestors) mentions, as adduser/useradd do, or any COPY of /etc/passwd; for images it does not know it says nothing.',
  fix: 'Use a numeric USER (USER 65532:65532), a user the image has (nonroot on distroless, nobody), or create it first (RUN adduser -D -u 10001 app on Alpine, useradd on Debian).',
  check: ({ model, knowledge }) => {
    const out: RawFinding[] = [];
    for (const { stage, line, value } of checkedUsers(model)) {
      // the model substituted every variable (an unset one by '', as BuildKit does): a $ left is part of the name
      if (value === '') continue;
      const [user = '', group] = value.split(':', 2).map((x) => x.trim());
      const img = stage.image;
      const chain = imageChain(model, stage);
      const label = imageLabel(stage);
      if (user !== '' && !NUMERIC.test(user) && img.users !== undefined) {
        const known = img.users !== null && img.users.includes(user);
        if (!known && !mayCreate(chain, line, user) && !copiesAccounts(chain, line, 'passwd')) {
          const why =
            img.users === null
              ? `${label} has no /etc/passwd`
              : `${label}'s /etc/passwd has no user ${user} (it has ${img.users.filter((u) => ['root', 'nobody', 'nonroot', 'guest', 'ubuntu'].includes(u)).join(', ')}…)`;
          out.push({
            line,
            message: `USER ${value}: ${why}, so the container does not start: "${knowledge.userLookupFailure('user', user)}"`,
            fix:
              img.users === null
                ? 'use a numeric USER (USER 65532:65532), or COPY /etc/passwd (and /etc/group) with that user from a builder stage'
                : `use a numeric USER (USER 65532:65532)${img.users.includes('nobody') ? ' or USER nobody' : ''}, or create the user in this stage first (${img.kind === 'alpine' || img.os?.distro === 'alpine' ? `RUN adduser -D -H -u 10001 ${user}` : `RUN useradd --system --uid 10001 ${user}`})`,
          });
          continue;
        }
      }
      if (group !== undefined && group !== '' && !NUMERIC.test(group) && img.groups !== undefined) {
        const known = img.groups !== null && img.groups.includes(group);
        if (!known && !mayCreate(chain, line, group) && !copiesAccounts(chain, line, 'group')) {
          out.push({
            line,
            message: `USER ${value}: ${img.groups === null ? `${label} has no /etc/group` : `${label}'s /etc/group has no group ${group}`}, so the container does not start: "${knowledge.userLookupFailure('group', group)}"`,
            fix: 'use a numeric group (USER 65532:65532), or one the image has',
          });
        }
      }
    }
    return out;
  },
};
