import { test } from 'node:test';
import assert from 'node:assert/strict';
import { refusalText, withToken } from '../src/ui/relay-api.js';

test('URLs the browser loads itself carry the token in their query, encoded', () => {
  assert.equal(withToken('/api/streams/cam/archive.m3u8', ''), '/api/streams/cam/archive.m3u8');
  assert.equal(withToken('/api/streams/cam/archive.m3u8', 'a.b+c/d'), '/api/streams/cam/archive.m3u8?token=a.b%2Bc%2Fd');
  assert.equal(withToken('/api/streams/cam/archive.m3u8?from=1&to=2', 'tok'), '/api/streams/cam/archive.m3u8?from=1&to=2&token=tok');
});

test('a refusal says what the relay said and what to do', () => {
  assert.match(refusalText(401, { error: 'unauthorized', reason: 'token missing' }), /needs a play token.*\?token=.*token missing/);
  assert.match(refusalText(403, { error: 'forbidden', reason: 'token is for another stream' }), /does not allow this.*another stream/);
  assert.match(refusalText(401, null), /HTTP 401/);
});
