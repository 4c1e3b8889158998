/** `gokiln doctor [DIR]`: checks the Go toolchain and environment for a project. Exit 1 on any failed check. */
import type { Command } from 'commander';
import { runDoctor } from '../doctor/doctor.js';
import { doctorText } from '../report/doctor-text.js';
import { EXIT, printResult, withFailures } from './output.js';

export function registerDoctor(program: Command, setExit: (code: number) => void): void {
  program
    .command('doctor')
    .description('check the Go toolchain and environment for building this project (ok/warn/fail, each with a fix)')
    .argument('[dir]', 'project directory', '.')
    .option('--json', 'machine-readable output (schemas/doctor.schema.json)')
    .option('--musl', 'a musl cgo build is wanted: check for musl-gcc')
    .action(
      withFailures(setExit, (dir: string, flags: { json?: boolean; musl?: boolean }) => {
        const report = runDoctor(dir, { musl: Boolean(flags.musl) });
        printResult(flags.json, report, doctorText);
        if (report.summary.fail > 0) setExit(EXIT.FINDINGS);
      }),
    );
}
