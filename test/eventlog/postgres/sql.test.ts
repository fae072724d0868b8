/** The SQL helpers' promises that logs rely on: a database URL is printed without its password. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { redactUrl } from '../../../eventlog/postgres/index.ts';

const Sql = suite('PostgreSQL SQL helpers');

Sql('redactUrl hides the password in the URL and in a password= parameter, and keeps the rest', () => {
  assert.is(redactUrl('postgres://bot:hunter2@db:5432/music'), 'postgres://bot:***@db:5432/music');
  const both = redactUrl('postgresql://bot:hunter2@db/music?sslmode=require&password=hunter3');
  assert.not.match(both, /hunter/);
  assert.match(both, 'sslmode=require');
  assert.match(both, 'password=***');
  assert.is(redactUrl('postgres://db/music'), 'postgres://db/music');
  assert.not.match(redactUrl('not a url hunter2'), /hunter2/);
});

Sql.run();
