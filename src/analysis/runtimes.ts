/**
 * The runtime catalog as the analyses use it. The data lives in src/knowledge/runtimes.ts; this module is
 * the lookup the inspect pipeline and CLI import.
 */
export { findRuntime } from '../knowledge/image-model.js';
export {
  RUNTIMES,
  KNOWN_RUNTIMES,
  loaderFor,
  runtimeListing,
  type RuntimeListing,
  type RuntimeInfo,
  type RuntimeUser,
  type SymbolVersionProvider,
} from '../knowledge/runtimes.js';
