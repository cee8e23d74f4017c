/** Paths given to the benchmark suites are the user's: `npm run` starts them in the package root, and keeps the user's directory in INIT_CWD. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import { userPath } from '../../bench/lib/args.js';

test('a relative path resolves against INIT_CWD when npm set it, else the working directory; an absolute one stays', () => {
  const saved = process.env.INIT_CWD;
  try {
    process.env.INIT_CWD = '/home/someone/meshes';
    assert.is(userPath('mine.yaml'), '/home/someone/meshes/mine.yaml');
    assert.is(userPath('/tmp/abs.yaml'), '/tmp/abs.yaml');
    delete process.env.INIT_CWD;
    assert.is(userPath('mine.yaml'), path.resolve('mine.yaml'));
  } finally {
    if (saved === undefined) delete process.env.INIT_CWD;
    else process.env.INIT_CWD = saved;
  }
});

test.run();
