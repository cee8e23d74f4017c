/**
 * The `meshtune` command line. The only place that reads argv and decides
 * exit codes: 0 ok, 1 a gate or constraint failed, 2 bad input (one line on
 * stderr naming the file, the field and what was expected — no stack trace).
 */
import { cac } from 'cac';
import { InputError } from '../scenario/errors.js';
import { oneLine } from '../scenario/units.js';
import { meshtuneVersion } from '../study/persist.js';
import { EXIT_INPUT, EXIT_VERDICT, UsageError, VerdictFailure } from './errors.js';
import { prepareArgv } from './options.js';

/**
 * A command's action, its module loaded when the command runs: a start pays
 * for the command it runs, not for every command's libraries (the queue's
 * client, the worker pool, the trace readers).
 */
function lazy<A extends unknown[]>(load: () => Promise<(...args: A) => unknown>): (...args: A) => Promise<unknown> {
  return async (...args: A) => (await load())(...args);
}

const cli = cac('meshtune');

cli
  .command('simulate <scenario>', 'Run a scenario once (or R replications) and print its metrics')
  .option('--config <file>', 'Configuration (JSON or YAML) merged over the scenario’s')
  .option('--seed <n>', 'Random seed (default: the scenario’s)')
  .option('--replications <r>', 'Independent replications; adds 95% confidence intervals', { default: 1 })
  .option('--json', 'Print one JSON document')
  .option('--timeline', 'Add per-interval counts (generated, delivered, lost, utilisation…) to the JSON')
  .option('--max-events <n>', 'Refuse a run estimated beyond this many events (default 1e9)')
  .option('--max-agents <n>', 'Refuse a mesh beyond this many agents (default 1e6)')
  .option('--max-pending <n>', 'Refuse a run estimated to hold more messages in flight (default 4e6)')
  .option('--spans <file>', 'Write the spans of the (first) run as OTLP JSON, one request per line')
  .option('--sample-rate <r>', 'With --spans: the fraction of messages written (default 1)')
  .action(lazy(async () => (await import('./commands/simulate.js')).simulateCommand));

cli
  .command('validate', 'Compare the simulator with queueing theory (M/M/1, M/M/c, M/M/1/K, M/D/1, M/G/1, tandem)')
  .option('--json', 'Print one JSON document')
  .option('--messages <n>', 'Messages per case (SPEC §8 asks 2% error at 1,000,000)')
  .option('--replications <r>', 'Replications per case (the CI is over these)')
  .action(lazy(async () => (await import('./commands/validate.js')).validateCommand));

cli
  .command('optimize [mode] [...scenario]', 'Search for the best configuration: mode performance, reliability, cost or auto')
  .option('--traces <format>', 'Import the scenario from trace files (otlp, jaeger, zipkin, alibaba) given in place of the scenario; the report opens with its fidelity table')
  .option('--budget <n>', 'Full-run equivalents the search may spend (default 100)')
  .option('--workers <w>', 'Worker threads (default: one per core)')
  .option('--seed <n>', 'Study seed (default: the scenario’s)')
  .option('--out <dir>', 'Study folder (default: results/<study-id>)')
  .option('--resume <dir>', 'Continue an interrupted study in <dir>')
  .option('--strategy <s>', 'halving (default), tpe-halving, tpe or random')
  .option('--queue <url>', 'Evaluate on a BullMQ queue at redis://host[:port][/db] (or rediss://) instead of local threads; also MESHTUNE_QUEUE')
  .option('--json', 'Print one JSON document (the study summary)')
  .option('--max-events <n>', 'Refuse a run estimated beyond this many events (default 1e9)')
  .option('--max-agents <n>', 'Refuse a mesh beyond this many agents (default 1e6)')
  .option('--max-pending <n>', 'Refuse a run estimated to hold more messages in flight (default 4e6)')
  .action(lazy(async () => (await import('./commands/optimize.js')).optimizeCommand));

cli
  .command('gate', 'Regression verdict between two benchmark files, simulate --replications outputs or studies; exit 1 on regression')
  .option('--baseline <file>', 'Baseline: a results/bench/*.json file, a simulate --replications R --json output, or a study.json / study folder; repeat to pool benchmark runs')
  .option('--candidate <file>', 'Candidate, of the same kind as the baseline; repeat to pool benchmark runs')
  .option('--threshold <x>', 'Smallest relative change that can fail the gate (default 0.05 = 5%; 0.10 with --suite)')
  .option('--markdown <file>', 'Also write the Markdown summary here (e.g. a CI job summary)')
  .option('--only <regex>', 'Benchmark files: compare only tasks whose name matches')
  .option('--json', 'Print the comparison as one JSON document')
  .option('--suite', 'The repository gate (npm run gate): model snapshots, then the quick scenario benchmark against results/baselines/')
  .option('--baselines <dir>', 'With --suite: the baselines folder (default results/baselines)')
  .option('--model-only', 'With --suite: check the model snapshots only, skip the timing benchmark')
  .action(lazy(async () => (await import('./commands/gate.js')).gateCommand));

cli
  .command('reset', 'Write the recommended defaults (best mean rank across the scenario library)')
  .option('--out <file>', 'Write them to this file instead of stdout')
  .action(lazy(async () => (await import('./commands/reset.js')).resetCommand));

cli
  .command('plan <scenario>', 'Capacity plan: the load limit as an interval, the bottleneck and the levers that fix it (or, with --role, the fewest replicas)')
  .option('--config <file>', 'Configuration merged over the scenario’s')
  .option('--slo-p99 <duration>', 'p99 bound (default: the scenario’s slo.p99)')
  .option('--slo-delivery <ratio>', 'Delivery ratio bound (default: the scenario’s slo.deliveryRatio)')
  .option('--role <role>', 'Find the fewest replicas of this role instead of the load limit')
  .option('--load <factor>', 'With --role: plan for this multiple of the scenario’s load')
  .option('--precision <p>', 'Relative half-width of the load interval to aim for (default 5%)')
  .option('--replications <r>', 'Seeds at a probe’s first look (default 4; more are added while it is undecided)')
  .option('--max-replications <r>', 'Seeds at a probe’s last look (default 16)')
  .option('--budget <runs>', 'Simulation runs the plan may spend, levers included (default 240)')
  .option('--workers <w>', 'Worker threads (default: one per core)')
  .option('--queue <url>', 'Run the simulations on a BullMQ queue at redis://host[:port][/db] (or rediss://), served by meshtune worker; also MESHTUNE_QUEUE')
  .option('--no-levers', 'Skip simulating the levers against the bottleneck')
  .option('--seed <n>', 'First seed (default: the scenario’s)')
  .option('--json', 'Print one JSON document')
  .option('--max-events <n>', 'Refuse a run estimated beyond this many events (default 1e9)')
  .option('--max-agents <n>', 'Refuse a mesh beyond this many agents (default 1e6)')
  .option('--max-pending <n>', 'Refuse a run estimated to hold more messages in flight (default 4e6)')
  .action(lazy(async () => (await import('./commands/plan.js')).planCommand));

cli
  .command('export <config>', 'Render a configuration (e.g. a study’s best-config.json) as Envoy or Istio YAML')
  .option('--format <format>', 'envoy or istio')
  .option('--service <name>', 'Upstream service the settings apply to', { default: 'agents' })
  .option('--namespace <ns>', 'Kubernetes namespace (istio)', { default: 'default' })
  .action(lazy(async () => (await import('./commands/export.js')).exportCommand));

cli
  .command('report [study-dir]', 'Re-render a study’s report.md and report.html from its folder; print the Markdown (or the HTML)')
  .option('--format <format>', 'What to print: md (default) or html')
  .action(lazy(async () => (await import('./commands/report.js')).reportCommand));

cli
  .command('import [format] [...files]', 'Build a scenario from a running mesh’s traces: format otlp, jaeger, zipkin or alibaba')
  .option('--out <file>', 'Write the scenario YAML here (default: stdout)')
  .option('--window <duration>', 'Only requests whose root starts within this long of the first (e.g. 5m)')
  .option('--name <name>', 'The scenario’s name (default: imported-<first file>)')
  .option('--sample-rate <share>', 'The share of the mesh’s requests the traces hold (head sampling: 0.1 or 10%); the arrival rates are scaled up by it (default 1)')
  .action(lazy(async () => (await import('./commands/import.js')).importCommand));

cli
  .command('fidelity <scenario> [...files]', 'Compare a scenario with a traced mesh: per service and end to end p50/p90/p99, throughput, errors, KS distance; exit 1 past --tolerance')
  .option('--against <format>', 'The traces’ format: otlp, jaeger, zipkin or alibaba')
  .option('--tolerance <t>', 'Largest relative difference of p50 and p90 (default 10%)')
  .option('--config <file>', 'Configuration merged over the scenario’s')
  .option('--seed <n>', 'Random seed (default: the scenario’s)')
  .option('--window <duration>', 'Only requests whose root starts within this long of the first')
  .option('--sample-rate <share>', 'The share of the mesh’s requests the traces hold (0.1 or 10%): the model then runs the scenario’s own workload')
  .option('--json', 'Print one JSON document')
  .action(lazy(async () => (await import('./commands/fidelity.js')).fidelityCommand));

cli
  .command('worker', 'Evaluate the simulations of the studies on a queue (started with optimize --queue), until stopped')
  .option('--queue <url>', 'The queue: redis://host[:port][/db] or rediss://…; also MESHTUNE_QUEUE')
  .option('--concurrency <n>', 'Simulations at once, each on its own thread (default: one per core)')
  .action(lazy(async () => (await import('./commands/worker.js')).workerCommand));

cli.help();
cli.version(meshtuneVersion());

async function main(): Promise<void> {
  try {
    cli.parse(prepareArgv(process.argv), { run: false });
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

/** Every message leaves as one line: a user's newline, escape bytes or megabytes of text never reach the terminal raw. */
function say(message: string): void {
  process.stderr.write(`meshtune: ${oneLine(message)}\n`);
}

function exitCodeFor(err: unknown): number {
  if (err instanceof InputError || err instanceof UsageError) {
    say(err.message);
    return EXIT_INPUT;
  }
  if (err instanceof VerdictFailure) {
    say(err.message);
    return EXIT_VERDICT;
  }
  if (err instanceof Error && err.name === 'CACError') {
    // cac names an unknown option by its camel-cased key (`--bogusFlag`): the user typed it kebab-cased.
    const message = err.message.replace(/`--([A-Za-z][A-Za-z0-9]*)`/g, (_m, key: string) => `\`--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}\``);
    say(`${message}; run 'meshtune --help'`);
    return EXIT_INPUT;
  }
  // A defect, not bad input: say so plainly; the stack only on request.
  const message = err instanceof Error ? err.message : String(err);
  say(`internal error: ${message}`);
  if (process.env.MESHTUNE_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  return 70;
}

await main();
