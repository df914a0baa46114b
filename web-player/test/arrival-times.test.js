import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ArrivalTimes } from '../src/audio/arrival-times.js';

test('matching output timestamps: each arrival is taken once and the map empties', () => {
  const a = new ArrivalTimes();
  for (let i = 0; i < 10; i++) a.note(i * 20_000, 1000 + i * 20);
  for (let i = 0; i < 10; i++) assert.equal(a.take(i * 20_000), 1000 + i * 20);
  assert.equal(a.size, 0);
  assert.equal(a.evicted, 0);
});

test('output timestamps shifted later (pre-skip): the nearest older arrival is used, the map stays empty', () => {
  const a = new ArrivalTimes();
  for (let i = 0; i < 1000; i++) {
    a.note(i * 20_000, i * 20);
    assert.equal(a.take(i * 20_000 + 6_500), i * 20);
  }
  assert.equal(a.size, 0);
});

test('output timestamps shifted earlier or never output: the map is bounded', () => {
  const a = new ArrivalTimes(50);
  for (let i = 0; i < 1000; i++) {
    a.note(i * 20_000, i * 20);
    // Chrome reports a timestamp before the input's: nothing older to forget...
    const arrival = a.take(i * 20_000 - 6_500);
    // ...so the oldest pending arrival stands in for it.
    assert.ok(arrival !== undefined && arrival <= i * 20);
  }
  assert.ok(a.size <= 50, `size ${a.size}`);
  const b = new ArrivalTimes(50);
  for (let i = 0; i < 1000; i++) b.note(i * 20_000, i * 20); // a decoder that outputs nothing
  assert.equal(b.size, 50);
  assert.equal(b.evicted, 950);
  assert.equal(new ArrivalTimes().take(0), undefined);
});
