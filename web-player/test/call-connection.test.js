import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CALL_FINAL_CODES, CallConnection, callCloseVerdict } from '../src/call/call-connection.js';

const context = { room: 'standup', participant: 'ann', maxMembers: 8 };

test('call close codes: a full room, a second tab and token problems end the call with words for people', () => {
  const full = callCloseVerdict(4430, 'room is full', context);
  assert.deepEqual([full.state, full.retry], ['room-full', false]);
  assert.match(full.message, /standup.*full.*8 participants/);
  const duplicate = callCloseVerdict(4409, '', context);
  assert.deepEqual([duplicate.state, duplicate.retry], ['duplicate', false]);
  assert.match(duplicate.message, /another tab/);
  assert.deepEqual([callCloseVerdict(4401, '', context).state, callCloseVerdict(4401, '', context).retry], ['unauthorized', false]);
  const forbidden = callCloseVerdict(4403, 'token is for room other', context);
  assert.deepEqual([forbidden.state, forbidden.retry], ['forbidden', false]);
  assert.match(forbidden.message, /standup.*ann.*token is for room other/);
  assert.equal(callCloseVerdict(4422, 'display name too long', context).state, 'error');
  assert.deepEqual(CALL_FINAL_CODES.sort(), [4409, 4430]);
});

test('call close codes: a dropped socket, a restarting relay or a slow link reconnect', () => {
  for (const code of [1006, 1001, 4408, 4429, 4500]) {
    const verdict = callCloseVerdict(code, '', context);
    assert.deepEqual([verdict.state, verdict.retry], ['reconnecting', true], `code ${code}`);
    assert.match(verdict.message, /Reconnecting…$/);
  }
});

test('call connection: joining, in the call, a drop and the way back are counted and timed', () => {
  const call = new CallConnection();
  call.join(0);
  assert.equal(call.state, 'joining');
  call.welcomed(300);
  assert.deepEqual([call.state, call.connections, call.reconnects], ['in-call', 1, 0]);
  call.closed(1006, '', context, 5000);
  assert.equal(call.state, 'reconnecting');
  // A failed attempt does not restart the outage's clock.
  call.closed(1006, '', context, 5100);
  call.welcomed(5800);
  assert.deepEqual([call.state, call.connections, call.reconnects, call.lastOutageMs], ['in-call', 2, 1, 800]);
});

test('call connection: a refusal is final; leaving ignores the close that follows', () => {
  const call = new CallConnection();
  call.join(0);
  call.closed(4430, '', context, 50);
  assert.deepEqual([call.state, call.final, call.closeCode], ['room-full', true, 4430]);
  call.welcomed(60);
  assert.equal(call.state, 'room-full', 'nothing revives a final state but a new join');
  call.join(1000);
  call.welcomed(1100);
  call.leave();
  call.closed(1000, '', context, 1200);
  assert.equal(call.state, 'leaving');
  call.left();
  assert.deepEqual([call.state, call.final], ['left', true]);
});
