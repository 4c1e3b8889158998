/**
 * QEMU's user-mode emulators, named by the architecture they emulate: `verify --run` starts an image of
 * another architecture under one. The names are QEMU's target names (`qemu-<target>`), which differ from
 * Go's GOARCH for amd64, arm64 and 386; Debian's qemu-user-static ships them as `qemu-<target>-static`,
 * statically linked (static-pie), so one file bound into any root runs there.
 */
import { IMAGES_CHECKED, sourced, type Sourced } from './provenance.js';

export const QEMU_TARGETS: Sourced<Readonly<Record<string, string>>> = sourced(
  {
    amd64: 'x86_64',
    arm64: 'aarch64',
    arm: 'arm',
    '386': 'i386',
    ppc64le: 'ppc64le',
    s390x: 's390x',
    riscv64: 'riscv64',
    loong64: 'loongarch64',
    mips64le: 'mips64el',
  },
  'Debian bookworm qemu-user-static 1:7.2+dfsg-7+deb12u18 file list (`dpkg -L qemu-user-static`: /usr/bin/qemu-aarch64-static …), QEMU linux-user targets',
  IMAGES_CHECKED,
  'its binaries are static-pie (file(1)); `-L PATH` (QEMU_LD_PREFIX) is where a guest ELF interpreter is looked up, `-0 ARGV0` sets the guest argv[0]',
);

/** QEMU's target name for a GOARCH, or undefined when QEMU has no user-mode emulator gokiln knows for it. */
export function qemuTarget(goarch: string): string | undefined {
  return QEMU_TARGETS.value[goarch];
}
