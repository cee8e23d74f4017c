#!/usr/bin/env node
// Runs a benchmark suite on compiled JavaScript: `npm run bench <suite> [flags]`.
// A suite is any bench/<name>.ts with a default export or an exported main(argv).
// The build (tsc -p tsconfig.build.json) is redone first when dist/ is missing or
// older than the newest file under sim/ or bench/; benchmarks never run under tsx,
// whose loader hooks cost 5–10%.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { distDir, ensureBuild, root } from './build.js';

const benchDir = path.join(root, 'bench');

/** Suites: top-level bench/*.ts files that export a default or a main(). */
function listSuites() {
  if (!existsSync(benchDir)) return [];
  return readdirSync(benchDir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
    .filter((e) => {
      const text = readFileSync(path.join(benchDir, e.name), 'utf8');
      return /export\s+default\b/.test(text) || /export\s+(async\s+)?function\s+main\b/.test(text) ||
        /export\s+(const|let)\s+main\b/.test(text) || /export\s*\{[^}]*\bmain\b[^}]*\}/.test(text);
    })
    .map((e) => e.name.slice(0, -3))
    .sort();
}

function usage(suites) {
  const list = suites.length > 0 ? suites.map((s) => `  ${s}`).join('\n') : '  (none found under bench/)';
  return `usage: npm run bench <suite> [flags]\nsuites (any bench/<name>.ts exporting a default function or main()):\n${list}\n` +
    'common flags: --quick, --filter <regex>, --out <dir>, --samples <n>\n';
}

async function main(argv) {
  const suites = listSuites();
  const [suite, ...rest] = argv;
  if (suite === undefined || suite === '--help' || suite === '-h') {
    process.stderr.write(usage(suites));
    return suite === undefined ? 2 : 0;
  }
  if (!suites.includes(suite)) {
    process.stderr.write(`bench: unknown suite '${suite}'\n${usage(suites)}`);
    return 2;
  }
  const relative = path.join('bench', `${suite}.js`);
  if (!ensureBuild(relative, { log: (m) => process.stderr.write(`bench: ${m}\n`) })) return 1;
  const compiled = path.join(distDir, relative);
  const mod = await import(pathToFileURL(compiled).href);
  const entry = typeof mod.default === 'function' ? mod.default : mod.main;
  if (typeof entry !== 'function') {
    process.stderr.write(`bench: ${path.relative(root, compiled)} exports neither a default function nor main()\n`);
    return 2;
  }
  await entry(rest);
  return typeof process.exitCode === 'number' ? process.exitCode : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = process.exitCode || 1;
  },
);
