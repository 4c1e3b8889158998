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
    'certificates or zoneinfo when it needs them) has to run. A program copied into a golang final stage ready-made (not built there) ' +
    'is reported as info: tools that run the go command themselves (linters, live reloaders, release tools) need the SDK.',
  fix: 'Build in a stage of its own (FROM golang:… AS build) and COPY --from=build the binary into a runtime stage: scratch or distroless/static for a static binary, alpine or debian-slim when it needs a shell or libc.',
  check: ({ model }) => {
    const final = model.final;
    if (!final || final.image.kind !== 'golang') return [];
    const builds = final.goCommands.some((g) => g.sub === 'build' || g.sub === 'install') || final.opaqueBuilds.length > 0;
    // a program brought in ready-made (COPY --from a build stage, a release binary from the context) onto
    // golang was put there on purpose: developer tools that run the go command (linters, live reloaders,
    // release tools, Hugo with modules) need the SDK at run time; say it, without claiming waste
    const broughtIn =
      !builds &&
      final.copies.length > 0 &&
      !final.copies.some((c) => c.from === undefined && c.sources.some((x) => x === '.' || x === './'));
    if (broughtIn) {
      return [
        {
          line: final.baseLine,
          severity: 'info',
          message: `the final stage is ${imageLabel(final)}, the Go SDK image, and the program is copied in rather than built there: right for a tool that runs the go command (a linter, a live reloader, a release tool); any other program ships hundreds of MB it does not need`,
        },
      ];
    }
    const how = builds ? 'it builds the program and ships with the toolchain that built it' : 'the program runs next to the toolchain';
    return [
      {
        line: final.baseLine,
        message: `the final stage is ${imageLabel(final)}, the Go SDK image: ${how} (hundreds of MB of compiler, caches and packages the program does not need)`,
      },
    ];
  },
};
