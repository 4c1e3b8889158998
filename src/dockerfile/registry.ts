/** Every lint rule, listed by hand in id order; ids are stable and never reused. */
import type { Rule } from './rule.js';
import { copiedBinaryFindings, type CopiedRule } from './copied-binaries.js';
import { GK000 } from './rules/GK000-input.js';
import { GK001 } from './rules/GK001-alpine-drift.js';
import { GK002 } from './rules/GK002-go-older-than-gomod.js';
import { GK003 } from './rules/GK003-unpinned-base.js';
import { GK004 } from './rules/GK004-go-build-a.js';
import { GK005 } from './rules/GK005-extldflags-static-nocgo.js';
import { GK006 } from './rules/GK006-cgo-into-libcless.js';
import { GK007 } from './rules/GK007-glibc-newer-than-runtime.js';
import { GK008 } from './rules/GK008-shell-form-no-shell.js';
import { GK009 } from './rules/GK009-run-no-shell.js';
import { GK010 } from './rules/GK010-no-ca-certs.js';
import { GK011 } from './rules/GK011-no-zoneinfo.js';
import { GK012 } from './rules/GK012-runs-as-root.js';
import { GK013 } from './rules/GK013-no-cache-mount.js';
import { GK014 } from './rules/GK014-copy-all-before-download.js';
import { GK015 } from './rules/GK015-cross-build.js';
import { GK016 } from './rules/GK016-offline-mistakes.js';
import { GK017 } from './rules/GK017-go-install-unversioned.js';
import { GK018 } from './rules/GK018-cgo-alpine-no-gcc.js';
import { GK019 } from './rules/GK019-debug-final.js';
import { GK020 } from './rules/GK020-pprof-port.js';
import { GK021 } from './rules/GK021-package-cache.js';
import { GK022 } from './rules/GK022-end-of-support.js';
import { GK023 } from './rules/GK023-cgo-module-without-cgo.js';
import { GK024 } from './rules/GK024-untrusted-registry.js';
import { GK025 } from './rules/GK025-goamd64-level.js';
import { GK026 } from './rules/GK026-user-not-in-image.js';
import { GK027 } from './rules/GK027-sdk-in-final-image.js';

/**
 * A rule that also reports what inspect's verdict code says of the prebuilt binaries a runtime stage copies
 * from the build context (when the caller passed BuildContext.judgeCopied): the same claim, read from the file.
 */
function withCopied(rule: Rule, id: CopiedRule): Rule {
  return { ...rule, check: (ctx) => [...rule.check(ctx), ...copiedBinaryFindings(ctx.model, id)] };
}

export const RULES: readonly Rule[] = [
  GK000,
  GK001,
  GK002,
  GK003,
  GK004,
  GK005,
  withCopied(GK006, 'GK006'),
  withCopied(GK007, 'GK007'),
  GK008,
  GK009,
  withCopied(GK010, 'GK010'),
  withCopied(GK011, 'GK011'),
  GK012,
  GK013,
  GK014,
  withCopied(GK015, 'GK015'),
  GK016,
  GK017,
  GK018,
  GK019,
  GK020,
  GK021,
  GK022,
  GK023,
  GK024,
  GK025,
  GK026,
  GK027,
];
