/** Numbers from the Microsoft PE/COFF specification that the PE reader needs. */

export const IMAGE_SCN_CNT_CODE = 0x20;
export const IMAGE_SCN_CNT_INITIALIZED_DATA = 0x40;
export const IMAGE_SCN_CNT_UNINITIALIZED_DATA = 0x80;
export const IMAGE_SCN_MEM_EXECUTE = 0x20000000;
export const IMAGE_SCN_MEM_READ = 0x40000000;
export const IMAGE_SCN_MEM_WRITE = 0x80000000;

export const PE32_MAGIC = 0x10b;
export const PE32PLUS_MAGIC = 0x20b;

/** Data directory indexes. */
export const DIR_IMPORT = 1;

/** Go's GOARCH for a COFF machine; anything else keeps a hex name. */
export function peArch(machine: number): string {
  switch (machine) {
    case 0x8664:
      return 'amd64';
    case 0x14c:
      return '386';
    case 0xaa64:
      return 'arm64';
    case 0x1c0: // ARM
    case 0x1c2: // Thumb
    case 0x1c4: // ARMv7 Thumb-2 (ARMNT), what Go's windows/arm produced
      return 'arm';
    case 0x5064:
      return 'riscv64';
    case 0x6264:
      return 'loong64';
    case 0x200:
      return 'ia64';
    default:
      return `machine-0x${machine.toString(16)}`;
  }
}
