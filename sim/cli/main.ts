/**
 * The `meshtune` command line. The only place that reads argv and decides
 * exit codes: 0 ok, 1 a gate or constraint failed, 2 bad input (one line on
 * stderr naming the file, the field and what was expected — no stack trace).
 */
import { cac } from 'cac';
import { InputError } from '../scenario/index.js';
import { EXIT_INPUT, EXIT_VERDICT, UsageError, VerdictFailure } from './errors.js';
import { simulateCommand } from './commands/simulate.js';
import { validateCommand } from './commands/validate.js';

const cli = cac('meshtune');

cli
  .command('simulate <scenario>', 'Run a scenario once (or R replications) and print its metrics')
  .option('--config <file>', 'Configuration (JSON or YAML) merged over the scenario’s')
  .option('--seed <n>', 'Random seed (default: the scenario’s)')
  .option('--replications <r>', 'Independent replications; adds 95% confidence intervals', { default: 1 })
  .option('--json', 'Print one JSON document')
  .option('--timeline', 'Add per-interval counts (generated, delivered, lost, utilisation…) to the JSON')
  .action(simulateCommand);

cli
  .command('validate', 'Compare the simulator with queueing theory (M/M/1, M/M/c, M/M/1/K, M/D/1, M/G/1, tandem)')
  .option('--json', 'Print one JSON document')
  .option('--messages <n>', 'Messages per case (SPEC §8 asks 2% error at 1,000,000)')
  .option('--replications <r>', 'Replications per case (the CI is over these)')
  .action(validateCommand);

cli.help();
cli.version('0.1.0');

async function main(): Promise<void> {
  try {
    cli.parse(process.argv, { run: false });
    if (!cli.matchedCommand) {
      if (cli.args.length > 0) throw new UsageError(`unknown command '${cli.args[0]}'; run 'meshtune --help'`);
      if (!process.argv.slice(2).some((a) => a === '--help' || a === '-h' || a === '--version' || a === '-v')) {
        cli.outputHelp();
      }
      return;
    }
    await cli.runMatchedCommand();
  } catch (err) {
    process.exitCode = exitCodeFor(err);
  }
}

function exitCodeFor(err: unknown): number {
  if (err instanceof InputError || err instanceof UsageError) {
    process.stderr.write(`meshtune: ${err.message}\n`);
    return EXIT_INPUT;
  }
  if (err instanceof VerdictFailure) {
    process.stderr.write(`meshtune: ${err.message}\n`);
    return EXIT_VERDICT;
  }
  if (err instanceof Error && err.name === 'CACError') {
    process.stderr.write(`meshtune: ${err.message}; run 'meshtune --help'\n`);
    return EXIT_INPUT;
  }
  // A defect, not bad input: say so plainly; the stack only on request.
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`meshtune: internal error: ${message}\n`);
  if (process.env.MESHTUNE_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  return 70;
}

await main();
