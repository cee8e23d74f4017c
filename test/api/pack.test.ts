/**
 * The package as users get it: `npm pack` (which builds it), unpacked into a
 * fresh folder's node_modules as `npm install` places it, then imported by
 * name from that folder. Its dependencies are linked from this checkout
 * rather than downloaded (the test stays offline and takes seconds); every
 * file of meshtune itself comes from the tarball.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { removeTemporary, tempDir } from '../helpers.js';

const root = path.resolve('.');

test('npm pack → install into a fresh folder → import { simulate } from "meshtune" runs mm1', () => {
  const dir = tempDir('pack');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  // bin/meshtune.js rebuilds dist/ only when the sources are newer (what `prepack` would do, without its cost every time).
  execFileSync(process.execPath, ['bin/meshtune.js', '--version'], { cwd: root, stdio: 'ignore' });
  const out = execFileSync(npm, ['pack', '--ignore-scripts', '--pack-destination', dir, '--json'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const packed = JSON.parse(out) as Array<{ filename: string; files: Array<{ path: string }> }>;
  const files = packed[0]!.files.map((f) => f.path);
  for (const want of ['dist/sim/api.js', 'dist/sim/api.d.ts', 'bin/meshtune.js', 'scenarios/mm1.yaml']) assert.ok(files.includes(want), `the package holds ${want}`);
  assert.not.ok(files.some((f) => f.startsWith('test/') || f.startsWith('sim/')), 'no sources or tests in the package');

  const project = path.join(dir, 'project');
  const modules = path.join(project, 'node_modules');
  mkdirSync(path.join(modules, 'meshtune'), { recursive: true });
  execFileSync('tar', ['-xzf', path.join(dir, packed[0]!.filename), '-C', path.join(modules, 'meshtune'), '--strip-components=1']);
  const pkg = JSON.parse(readFileSync(path.join(modules, 'meshtune', 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  for (const dep of Object.keys(pkg.dependencies)) {
    const link = path.join(modules, dep);
    mkdirSync(path.dirname(link), { recursive: true });
    symlinkSync(path.join(root, 'node_modules', dep), link, 'dir');
  }
  writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'user-project', private: true, type: 'module' }));
  writeFileSync(
    path.join(project, 'use.mjs'),
    [
      "import { simulate, loadScenario, MeshtuneInputError } from 'meshtune';",
      "const m = simulate('mm1', { seed: 3 });",
      'let field = null;',
      "try { simulate({ duration: '1s', roles: { w: { count: 0, service: 1 } }, workload: [{ pattern: 'poisson', to: 'w', rate: 5 }] }); } catch (e) { field = e instanceof MeshtuneInputError ? e.field : String(e); }",
      "console.log(JSON.stringify({ generated: m.messages.generated, name: loadScenario('mm1').name, field }));",
    ].join('\n'),
  );
  const run = spawnSync(process.execPath, ['use.mjs'], { cwd: project, encoding: 'utf8' });
  assert.is(run.status, 0, run.stderr);
  const result = JSON.parse(run.stdout) as { generated: number; name: string; field: string };
  assert.ok(result.generated > 1_000_000, `mm1 ran: ${result.generated} messages`);
  assert.is(result.name, 'mm1');
  assert.is(result.field, 'roles.w.count');
});

test.after(removeTemporary);

test.run();
