import type { Rule } from '../rule.js';
import { imageLabel } from '../rule-helpers.js';

/** The image that ships is the golang SDK image: a single-stage build, or the build stage left last. */
export const GK027: Rule = {
  id: 'GK027',
  severity: 'warning',
  title: 'The final image is the Go SDK image',
  explanation:
    'When the last stage is based on golang (a single-stage Dockerfile, or a multi-stage one whose build stage comes last), the image ' +
    'that ships carries the whole Go toolchain, the module and build caches, git, and on Debian variants gcc, with the program: hundreds ' +
    'of megabytes and many packages whose vulnerabilities scanners then report against the service. Only the compiled program (and CA ' +
    'certificates or zoneinfo when it needs them) has to run.',
  fix: 'Build in a stage of its own (FROM golang:… AS build) and COPY --from=build the binary into a runtime stage: scratch or distroless/static for a static binary, alpine or debian-slim when it needs a shell or libc.',
  check: ({ model }) => {
    const final = model.final;
    if (!final || final.image.kind !== 'golang') return [];
    const builds = final.goCommands.some((g) => g.sub === 'build' || g.sub === 'install') || final.opaqueBuilds.length > 0;
    const how = builds ? 'it builds the program and ships with the toolchain that built it' : 'the program runs next to the toolchain';
    return [{ line: final.baseLine, message: `the final stage is ${imageLabel(final)}, the Go SDK image: ${how} (hundreds of MB of compiler, caches and packages the program does not need)` }];
  },
};
