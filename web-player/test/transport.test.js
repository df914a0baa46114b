import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClockSync } from '../src/transport/clock-sync.js';
import { closeVerdict } from '../src/transport/close-codes.js';
import { getOption } from '@bufbuild/protobuf';
import { CloseCodeSchema, close_fatal } from '../src/gen/tunnelcast/v1/close_codes_pb.js';

test('clock sync keeps the exchange with the smallest round trip', () => {
  const clock = new ClockSync({ windowSize: 4 });
  const offset = 5_000_000; // relay clock 5 s ahead
  // t0 local send, one-way delays up and down, 100 µs of relay processing.
  /** One ping/pong: sent at t0 (local µs), `up` and `down` µs on the way. @param {number} t0 @param {number} up @param {number} down */
  const exchange = (t0, up, down) => clock.addExchange(t0, t0 + up + offset, t0 + up + 100 + offset, t0 + up + 100 + down);
  exchange(1_000_000, 40_000, 2_000); // asymmetric queueing: offset estimate off by 19 ms
  exchange(2_000_000, 1_000, 1_000); // the clean one
  exchange(3_000_000, 3_000, 30_000);
  assert.equal(clock.rttMicros, 2_000);
  assert.equal(clock.lastRttMicros, 33_000, 'the latest exchange, unfiltered');
  assert.equal(clock.offsetMicros, offset);
  assert.equal(clock.toRelayMicros(10), 10 + offset);
  // The window slides: once the clean exchange is out, the best of what is left wins.
  for (let i = 0; i < 4; i++) exchange(4_000_000 + i, 5_000, 5_000);
  assert.equal(clock.rttMicros, 10_000);
});

test('clock sync ignores impossible exchanges', () => {
  const clock = new ClockSync();
  clock.addExchange(100, 50, 200, 120); // the relay took longer than the round trip
  assert.equal(clock.synced, false);
  assert.equal(clock.offsetMicros, 0);
});

test('close codes: refusals are final with clear messages, transient closes retry', () => {
  assert.deepEqual([closeVerdict(4401).state, closeVerdict(4401).retry], ['unauthorized', false]);
  assert.deepEqual([closeVerdict(4403).state, closeVerdict(4403).retry], ['unauthorized', false]);
  assert.deepEqual([closeVerdict(4410).state, closeVerdict(4410).retry], ['offline', false]);
  assert.deepEqual([closeVerdict(4426).state, closeVerdict(4426).retry], ['unsupported', false]);
  assert.equal(closeVerdict(4404).retry, false);
  for (const code of [1001, 1006, 4408, 4429, 4500]) {
    assert.equal(closeVerdict(code).retry, true, `code ${code}`);
    assert.equal(closeVerdict(code).state, 'reconnecting');
  }
  assert.match(closeVerdict(1006, 'eof').message, /eof/);
});

test('close codes: retry follows the fatal flag of the one definition; codes without wording say the reason', () => {
  for (const value of CloseCodeSchema.values) {
    if (value.number === 0) continue;
    assert.equal(closeVerdict(value.number).retry, !getOption(value, close_fatal), value.name);
  }
  assert.deepEqual(closeVerdict(4411), { state: 'error', message: 'The relay closed the connection: taken over by a new publisher.', retry: false });
  assert.equal(closeVerdict(4409).retry, true);
  assert.match(closeVerdict(4409).message, /stream already has a publisher/);
});
