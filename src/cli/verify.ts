/** `gokiln verify IMAGE`: will the image's entrypoint run? Static checks, and with --run a real start in a sandbox. */
import type { Command } from 'commander';
import { GokilnError } from '../errors.js';
import { verifyImage } from '../verify/verify.js';
import { verifyText } from '../report/verify-text.js';
import { EXIT, printResult, withFailures } from './output.js';

interface Flags {
  binary?: string;
  platform?: string;
  run?: boolean;
  timeout: string;
  json?: boolean;
}

export function registerVerify(program: Command, setExit: (code: number) => void): void {
  program
    .command('verify')
    .description(
      "check that an image's entrypoint binary will run in it (loader, libraries, symbol versions, user, certificates, zoneinfo), and with --run start it in a sandbox",
    )
    .argument('<image>', 'oci:DIR[:TAG], docker-archive:FILE, or a root file system directory')
    .argument('[args...]', "after --: arguments replacing the image's Cmd")
    .option('--binary <path>', 'the path in the image to check instead of the entrypoint')
    .option('--platform <os/arch>', "the platform to pick from a multi-platform image (default: this machine's)")
    .option(
      '--run',
      "also start it with bubblewrap in a private copy of the image (no network, the image's user); another architecture under qemu-<target>-static",
    )
    .option(
      '--timeout <seconds>',
      'with --run: kill the program (and all it started) after this long; still running counts as started',
      '10',
    )
    .option('--json', 'JSON output (schemas/verify.schema.json)')
    .action(
      withFailures(setExit, async (image: string, args: string[], flags: Flags) => {
        const timeout = Number(flags.timeout);
        if (!Number.isFinite(timeout) || timeout <= 0)
          throw new GokilnError('E_USAGE', `--timeout wants a number of seconds, not ${JSON.stringify(flags.timeout)}`);
        const result = await verifyImage(image, { binary: flags.binary, platform: flags.platform, run: flags.run === true, timeout, args });
        printResult(flags.json, result, verifyText);
        const mismatch = result.run !== undefined && !result.run.predicted;
        if (result.verdict === 'fails' || mismatch || (result.run && result.run.exitCode !== 0 && !result.run.timedOut))
          setExit(EXIT.FINDINGS);
      }),
    );
}
