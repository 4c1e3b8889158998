/** gokiln's library API: re-exports only. */
export { GokilnError, isGokilnError, type ErrorCode } from './errors.js';
export type { ByteSource } from './formats/source.js';
export { BufferSource } from './formats/source.js';
export { FileSource } from './io/file-source.js';
export type * from './formats/binary.js';
export type * from './formats/go/types.js';
export type * from './analysis/types.js';
