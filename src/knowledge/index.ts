/** gokiln's knowledge base: facts as data, each with its source and the day it was checked. */
export * from './provenance.js';
export * from './eol.js';
export * from './go-releases.js';
export * from './golang-images.js';
export * from './alpine.js';
export * from './distros.js';
export * from './distroless.js';
export * from './libc.js';
export * from './runtimes.js';
export { findRuntime, describeImage, type ImageFacts, type ImageKind, type Distro } from './image-model.js';
export * from './image-names.js';
export * from './failure-messages.js';
export * from './cgo-libraries.js';
export * from './compat-arch.js';
