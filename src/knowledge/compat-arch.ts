/**
 * 32-bit programs a 64-bit Linux kernel runs as they are. An image published only for amd64 (distroless,
 * ubuntu) still runs a GOARCH=386 static binary on an amd64 host; the image's own files stay those of its
 * platform, so a dynamically linked 32-bit binary still finds no loader there.
 */
import { KNOWLEDGE_CHECKED } from './provenance.js';

export interface CompatArch {
  /** The platform of the image and its kernel (Go names). */
  kernel: string;
  /** The architecture of binaries that kernel also runs. */
  runs: string;
  /** `kernel`: on unless the kernel was built or booted without it; `cpu`: only on CPUs that have it. */
  depends: 'kernel' | 'cpu';
  /** What it takes, for the warning. */
  note: string;
  source: string;
  checked: string;
}

export const COMPAT_ARCHES: CompatArch[] = [
  {
    kernel: 'amd64',
    runs: '386',
    depends: 'kernel',
    note: "through the kernel's IA32 emulation (CONFIG_IA32_EMULATION), on in common distribution kernels; a kernel built without it, or booted with ia32_emulation=0, gives exec format error",
    source:
      'Linux arch/x86/Kconfig (IA32_EMULATION) and Documentation/admin-guide/kernel-parameters.txt (ia32_emulation=, Linux 6.7+); reproduced: the linux-386 fixture runs under bwrap on an amd64 6.18 kernel',
    checked: KNOWLEDGE_CHECKED,
  },
  {
    kernel: 'arm64',
    runs: 'arm',
    depends: 'cpu',
    note: 'only on CPUs that execute AArch32 code at EL0 (Cortex-A53 and A72, as in the Raspberry Pi 3 and 4, do; AArch64-only cores such as Apple M-series do not); elsewhere exec format error',
    source:
      'Arm Architecture Reference Manual for A-profile: AArch32 at EL0 is optional from Armv8-A; Linux arch/arm64 COMPAT (CONFIG_COMPAT) runs it where the CPU has it',
    checked: KNOWLEDGE_CHECKED,
  },
];

/** How a kernel of platform `kernel` runs a binary of `arch`, when it is one of the 32-bit companions. */
export function compatArch(kernel: string, arch: string): CompatArch | undefined {
  return COMPAT_ARCHES.find((c) => c.kernel === kernel && c.runs === arch);
}
