#!/usr/bin/env node
// The `meshtune` command: runs the compiled CLI (dist/sim/cli/main.js),
// building it first when the sources changed; falls back to the TypeScript
// sources through tsx when no build is possible.
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { ensureBuild, root, distDir } from './build.js';

const main = 'sim/cli/main.js';
if (ensureBuild(main, { log: (m) => process.stderr.write(`meshtune: ${m}\n`) })) {
  await import(pathToFileURL(path.join(distDir, main)).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(path.join(root, 'sim/cli/main.ts')).href);
}
