/**
 * The command line on absurd and malformed input: exit 0, 1 or 2 only, and
 * for 2 one line on stderr naming what was wrong — flags with their range,
 * output paths, values holding newlines or megabytes, configurations that are
 * valid alone but not merged.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { removeTemporary, tempDir } from '../helpers.js';
import { COMPILED_CLI, runCli, writeIn } from './cli-process.js';

// Made in `before`: other test files remove every temporary folder when they finish.
let dir = '';
const meshtune = (...args: string[]) => runCli(COMPILED_CLI, ...args);
const file = (name: string, text: string) => writeIn(dir, name, text);
// Build first, so that no test's stderr carries the build's note.
runCli(COMPILED_CLI, '--version');

/** Exit 2 and exactly one line on stderr matching `line`. */
function refused(r: ReturnType<typeof meshtune>, line: RegExp): void {
  assert.is(r.code, 2, `exit code; stderr: ${r.stderr}`);
  const lines = r.stderr.trimEnd().split('\n');
  assert.is(lines.length, 1, `one line, got: ${r.stderr}`);
  assert.match(lines[0]!, line);
  assert.not.match(r.stderr, /internal error|\n\s+at /);
}

const GOOD = `duration: 1s
roles:
  w: {count: 2, service: {dist: exp, mean: 2ms}}
workload:
  - {pattern: poisson, to: w, rate: 50/s}
config: {retry: {maxAttempts: 3, base: 100ms, cap: 200ms}}
`;
let good = '';

test.before(() => {
  dir = tempDir('cli-hardening');
  good = file('good.yaml', GOOD);
});

test('numeric flags name the flag and its range (negative, huge, empty, hex)', () => {
  refused(meshtune('simulate', good, '--seed', '1e300'), /^meshtune: --seed: expected a whole number from 0 to 4294967295, got '1e300'$/);
  refused(meshtune('simulate', good, '--seed', ''), /--seed: .* got an empty value$/);
  refused(meshtune('simulate', good, '--replications', '-3'), /^meshtune: --replications: expected a whole number from 1 to 1000, got '-3'$/);
  refused(meshtune('optimize', 'performance', good, '--budget', '-5'), /^meshtune: --budget: expected a whole number from 5 to 1000000, got '-5'$/);
  refused(meshtune('simulate', good, '--max-events', 'lots'), /--max-events: expected a number of at least 1/);
  // Within the flag's range, but too few for every validation case to outlast its warm-up: the least that runs, no case file named.
  // A scenario where a configuration belongs.
  refused(meshtune('simulate', good, '--config', good), /^meshtune: \S*good\.yaml: expected a configuration .*got a scenario \(it has roles and workload\)/);
  // A timeline asked for without the JSON it goes in.
  refused(meshtune('simulate', good, '--timeline'), /^meshtune: --timeline: only with --json/);
  // An unknown option is named as typed; `optimize reset` points at `meshtune reset`.
  refused(meshtune('simulate', good, '--bogus-flag'), /^meshtune: Unknown option `--bogus-flag`; run 'meshtune --help'$/);
  refused(meshtune('optimize', 'reset', good), /^meshtune: reset writes the recommended defaults, it does not study a scenario: run 'meshtune reset \[--out F\]'$/);
  refused(meshtune('validate', '--messages', '2000', '--replications', '2'), /^meshtune: --messages: 2000 over 2 replications is too few for every case to outlast its warm-up of 1,000 service times; expected at least 6000$/);
  // A number in the environment is checked as a flag's, before the queue is opened.
  process.env.MESHTUNE_QUEUE_COUNT_MS = '10';
  try {
    refused(meshtune('optimize', 'performance', good, '--queue', 'redis://127.0.0.1:1/0'), /^meshtune: MESHTUNE_QUEUE_COUNT_MS: expected a whole number from 50 to 3600000, got '10'$/);
  } finally {
    delete process.env.MESHTUNE_QUEUE_COUNT_MS;
  }
});

test('output paths: a file for a folder, a folder for a file, a missing folder', () => {
  const folder = path.join(dir, 'a-folder');
  mkdirSync(folder);
  refused(meshtune('optimize', 'performance', good, '--out', good), /--out: .*good\.yaml is a file; expected a folder/);
  refused(meshtune('reset', '--out', folder), /--out: .*a-folder is a folder; expected a file/);
  refused(meshtune('reset', '--out', path.join(dir, 'missing', 'x.json')), /--out: cannot write .*the folder .*missing does not exist/);
  const bench = file('bench.json', JSON.stringify({ env: {}, tasks: [{ name: 't', unit: 'ms', higherIsBetter: false, samples: [1, 1, 1] }] }));
  refused(meshtune('gate', '--baseline', bench, '--candidate', bench, '--markdown', path.join(dir, 'nope', 'g.md')), /--markdown: cannot write/);
});

test('a configuration valid alone but not merged over the scenario is refused, naming both', () => {
  const cfg = file('cfg.json', JSON.stringify({ retry: { base: '500ms' } }));
  refused(meshtune('simulate', good, '--config', cfg), /good\.yaml with .*cfg\.json: retry\.cap: expected cap >= base \(500ms\), got 200ms$/);
});

test('a value holding a newline and escape bytes, or megabytes of text, comes back quoted on one line', () => {
  const name = `w\\nx: 1\\u001b[2J${'y'.repeat(200_000)}`;
  const r = meshtune('simulate', file('evil.json', `{"duration": "1s", "roles": {"w": {"count": 1, "service": 1}}, "workload": [{"pattern": "poisson", "to": "${name}", "rate": 5}]}`));
  refused(r, /workload\[0\]\.to: unknown role 'w\\nx: 1\\u001b\[2Jy+\.\.\.'/);
  assert.ok(r.stderr.length < 700, `${r.stderr.length} characters`);
});

test('absurd but well-formed scenarios: bad input naming the field, never an internal error', () => {
  const absurd: Array<[string, RegExp]> = [
    ['  w: {count: 2, service: {dist: weibull, mean: 5ms, shape: 0.001}}', /roles\.w\.service\.shape: expected at least 0\.05/],
    ['  w: {count: 2, service: 5ms}\ndrain: 1e300', /drain: expected at most/],
    ['  w: {count: 2, service: 5ms}\nfaults: [{kind: crash, target: w, count: 1, mtbf: 1e-6, mttr: 1e-6}]', /faults\[0\]\.mtbf: the run would process about .* --max-events$/],
  ];
  absurd.forEach(([roles, line], i) => {
    const text = `duration: 2s\nroles:\n${roles}\nworkload:\n  - {pattern: poisson, to: w, rate: 10/s}\n`;
    refused(meshtune('simulate', file(`absurd-${i}.yaml`, text)), line);
  });
});

test('optimize refuses what simulate refuses: exit 2 and no study folder', () => {
  const out = path.join(dir, 'study');
  const broken = file('broken.yaml', `${GOOD.replace('{pattern: poisson, to: w, rate: 50/s}', '{pattern: trace, file: missing.csv, to: w}')}`);
  refused(meshtune('optimize', 'performance', broken, '--out', out, '--budget', '5'), /missing\.csv/);
  assert.not.ok(existsSync(out));
});

test('export: names must be DNS-1123 labels; a file name with a newline cannot inject YAML', () => {
  const cfg = file('c.json', JSON.stringify({ timeout: { overall: '2s' } }));
  refused(meshtune('export', cfg, '--format', 'istio', '--namespace', 'Bad_NS'), /^meshtune: --namespace: expected a DNS-1123 label/);
  const odd = path.join(dir, 'x\ninjected: true #.json');
  writeFileSync(odd, JSON.stringify({ timeout: { overall: 0.0004 } }));
  const r = meshtune('export', odd, '--format', 'envoy');
  assert.is(r.code, 0, r.stderr);
  assert.not.match(r.stdout, /^injected/m);
  assert.match(r.stdout, /timeout: 0\.001s/);
  assert.not.match(r.stdout, /:\s*0s\b/);
  // Envoy's documents are fragments, and the header says what to add.
  assert.match(r.stdout, /^# fragments: the cluster \(no endpoints: give it a load_assignment or EDS\)/m);
});

test.after(removeTemporary);

test.run();
