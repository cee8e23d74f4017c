import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseQueueUrl, redactUrl } from '../../sim/queue/url.js';
import { InputError } from '../../sim/scenario/errors.js';

test('a redis URL gives host, port and database; the default port is 6379 and the default database 0', () => {
  assert.equal(parseQueueUrl('redis://10.0.0.5:6380/3', 'queue', undefined), {
    connection: { host: '10.0.0.5', port: 6380, db: 3 },
    shown: 'redis://10.0.0.5:6380/3',
  });
  assert.equal(parseQueueUrl('redis://queue.internal', 'queue', undefined).connection, { host: 'queue.internal', port: 6379, db: 0 });
  assert.equal(parseQueueUrl('redis://[::1]:7000/1', 'queue', undefined).connection, { host: '::1', port: 7000, db: 1 });
});

test('rediss:// turns TLS on; the password comes from the URL, else from MESHTUNE_QUEUE_PASSWORD, and is never shown', () => {
  const a = parseQueueUrl('rediss://ops:s%40cret@cache.example:6390/2', 'queue', 'from-env');
  assert.equal(a.connection, { host: 'cache.example', port: 6390, db: 2, username: 'ops', password: 's@cret', tls: {} });
  assert.is(a.shown, 'rediss://cache.example:6390/2');
  const b = parseQueueUrl('redis://cache.example', 'queue', 'from-env');
  assert.is(b.connection.password, 'from-env');
  assert.not.match(b.shown, /from-env/);
});

test('a bad address is one line naming the option, without its password', () => {
  for (const [text, why] of [
    ['http://h:1/0', /scheme http/],
    ['redis://:hunter2@h/x', /database 'x'/],
    ['not a url hunter2', /not a URL/],
    ['redis://:hunter2@h:6379/0?tls=1', /no query/],
  ] as const) {
    let err: unknown = null;
    try {
      parseQueueUrl(text, 'queue', undefined);
    } catch (e) {
      err = e;
    }
    assert.instance(err, InputError, text);
    const e = err as InputError;
    assert.is(e.path, 'queue');
    assert.match(e.message, why);
    assert.not.match(e.message, /\n/);
    if (text.includes('//')) assert.not.match(e.message, /hunter2/, e.message);
  }
  assert.is(redactUrl('redis://u:p@h:1/0'), 'redis://h:1/0');
});

test.run();
