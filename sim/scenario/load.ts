/**
 * Loading scenarios and configuration files: text → schema → cross-field
 * checks → the normalized `Scenario`. Every problem surfaces as one
 * {@link InputError} naming the file, the line, the field and what was expected.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import type { MeshConfig, Scenario } from './types.js';
import { asMeshConfig, configSchema, mergeConfig } from './config.js';
import { scenarioSchema } from './schema.js';
import { normalize } from './normalize.js';
import { checkConfigResources } from './resources.js';
import { checkConfigClasses } from './classes.js';
import { checkConfigTopology } from './topology.js';
import { FieldIssue, InputError, formatPath } from './errors.js';
import { humanize, pickIssue } from './issues.js';
import { MAX_TEXT_BYTES, parseText, tooLarge, topComment } from './text.js';
import type { ParsedText } from './text.js';
import { describeValue } from './units.js';

const EXTENSIONS = ['.yaml', '.yml', '.json'] as const;

/** The repository's `scenarios/` folder (also found from a built copy under `dist/`). */
function defaultScenariosDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const source = path.resolve(here, '../../scenarios');
  const built = path.resolve(here, '../../../scenarios');
  return isDir(source) || !isDir(built) ? source : built;
}

/**
 * A scenario from a path, or from a bare name resolved as
 * `<scenariosDir>/<name>.yaml` (then `.yml`, `.json`).
 */
export function loadScenario(pathOrName: string, opts: { scenariosDir?: string } = {}): Scenario {
  const dir = opts.scenariosDir ?? defaultScenariosDir();
  const file = resolveScenario(pathOrName, dir);
  const abs = path.resolve(file);
  return parseWith(readText(file, displayName(pathOrName, file)), abs, displayName(pathOrName, file));
}

/** A scenario from text; `file` names it in errors and gives the defaults for `name` and relative paths. No disk access. */
export function parseScenario(text: string, file: string): Scenario {
  return parseWith(text, file === '' ? '' : path.resolve(file), file === '' ? '<input>' : file);
}

/**
 * A scenario given as a plain object in the file's own form (units as
 * strings or base-unit numbers), checked exactly as a file would be; errors
 * name `label` and the field, without lines. Relative trace paths resolve
 * against the working folder.
 */
export function scenarioFromObject(data: unknown, label = '<scenario object>'): Scenario {
  const noLines: ParsedText = { data, lineOf: () => null };
  const raw = check(scenarioSchema, data, noLines, label);
  try {
    return normalize(raw, { file: '', name: 'scenario', description: '' });
  } catch (err) {
    if (err instanceof FieldIssue) throw new InputError(label, formatPath(err.at), err.detail);
    throw err;
  }
}

/** A configuration given as an object (SPEC §5), checked like a `--config` file. */
export function configFromObject(data: unknown, label = '<config object>'): MeshConfig {
  return asMeshConfig(check(configSchema, data, { data, lineOf: () => null }, label));
}

/**
 * The configuration `over` merged onto `base` (SPEC §3: key by key, deeply),
 * then checked as a whole: each part may be valid alone and the merge not (a
 * retry cap below the base it inherits). `label` names both sources.
 */
export function mergeChecked(base: MeshConfig, over: MeshConfig, label: string): MeshConfig {
  return configFromObject(mergeConfig(base, over), label);
}

/** A `--config F` file (JSON or YAML): a mesh configuration, checked like a scenario's `config` block. */
export function loadConfigFile(file: string): MeshConfig {
  return readConfig(file).config;
}

/**
 * A `--config F` file checked also against the scenario it will run on: the
 * roles its `resources` and `autoscale` name, and what their counts may be.
 */
export function loadConfigFor(scenario: Scenario, file: string): MeshConfig {
  const { config, parsed } = readConfig(file);
  return checkedFor(scenario, config, file, parsed.lineOf);
}

/** A configuration object (SPEC §5) checked like a `--config` file, and against the scenario's roles. */
export function configObjectFor(scenario: Scenario, data: unknown, label = '<config object>'): MeshConfig {
  return checkedFor(scenario, configFromObject(data, label), label, () => null);
}

function checkedFor(scenario: Scenario, config: MeshConfig, label: string, lineOf: ParsedText['lineOf']): MeshConfig {
  try {
    checkConfigResources(scenario, config, []);
    checkConfigClasses(scenario, config, []);
    checkConfigTopology(scenario, config, []);
  } catch (err) {
    if (err instanceof FieldIssue) throw new InputError(label, formatPath(err.at), err.detail, lineOf(err.at));
    throw err;
  }
  return config;
}

function readConfig(file: string): { config: MeshConfig; parsed: ParsedText } {
  const parsed = parseText(readText(file, file), file, file);
  const data = parsed.data ?? {};
  // A scenario given where a configuration is expected: said as such, not as its first unknown key.
  if (data !== null && typeof data === 'object' && !Array.isArray(data) && 'roles' in data && 'workload' in data) {
    throw new InputError(file, '', 'expected a configuration (SPEC §5: a study\'s best-config.json, or a file of routing, timeout, retry… keys), got a scenario (it has roles and workload); its own configuration is its config block');
  }
  return { config: asMeshConfig(check(configSchema, data, parsed, file)), parsed };
}

function parseWith(text: string, abs: string, label: string): Scenario {
  const parsed = parseText(text, label, abs || label);
  if (parsed.data === null || parsed.data === undefined) {
    throw new InputError(label, '', 'expected a scenario (a mapping with duration, roles and workload), got an empty document');
  }
  const raw = check(scenarioSchema, parsed.data, parsed, label);
  const base = abs === '' ? 'scenario' : path.basename(abs).replace(/\.(ya?ml|json)$/i, '');
  try {
    return normalize(raw, {
      file: abs,
      name: base,
      description: abs.toLowerCase().endsWith('.json') ? '' : topComment(text),
    });
  } catch (err) {
    if (err instanceof FieldIssue) throw new InputError(label, formatPath(err.at), err.detail, parsed.lineOf(err.at));
    throw err;
  }
}

/** Validates `data` with `schema`, or throws the one most useful problem as an {@link InputError}. */
function check<S extends z.ZodType>(schema: S, data: unknown, parsed: ParsedText, label: string): z.output<S> {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new InputError(label, '', `expected a mapping of fields at the top level, got ${describeValue(data)}`, 1);
  }
  const result = schema.safeParse(data, { error: humanize, reportInput: true });
  if (result.success) return result.data;
  const lineOf = (p: { path: readonly (string | number)[]; unknownKey: boolean }) => parsed.lineOf(p.path, p.unknownKey);
  const issue = pickIssue(result.error.issues, lineOf);
  throw new InputError(label, formatPath(issue.path), issue.message, lineOf(issue));
}

function resolveScenario(pathOrName: string, dir: string): string {
  if (isFile(pathOrName)) return pathOrName;
  const bare = !pathOrName.includes('/') && !pathOrName.includes(path.sep) && path.extname(pathOrName) === '';
  if (bare) {
    for (const ext of EXTENSIONS) {
      const candidate = path.join(dir, pathOrName + ext);
      if (isFile(candidate)) return candidate;
    }
    const known = listScenarios(dir);
    const hint = known.length > 0 ? `; scenarios in ${dir} are: ${known.join(', ')}` : ` (looked in ${dir})`;
    throw new InputError(pathOrName, '', `cannot read: no such file${hint}`);
  }
  return pathOrName;
}

function listScenarios(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => (EXTENSIONS as readonly string[]).includes(path.extname(f).toLowerCase()))
      .map((f) => f.replace(/\.(ya?ml|json)$/i, ''))
      .sort();
  } catch {
    return [];
  }
}

/** The file as the user would recognise it: as given, or relative to the working directory. */
function displayName(given: string, resolved: string): string {
  if (given === resolved) return given;
  const rel = path.relative(process.cwd(), resolved);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : resolved;
}

function readText(file: string, label: string): string {
  try {
    // Refuse before reading: a 50 MB file must not cost 50 MB to say no.
    const bytes = statSync(file).size;
    if (bytes > MAX_TEXT_BYTES) throw tooLarge(label, bytes);
    return readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = (err as { code?: unknown }).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : String(code ?? err);
    throw new InputError(label, '', `cannot read: ${why}`);
  }
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
