import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { orderForReading } from './reading-order.js';

const box = (name: string, x0: number, y0: number, x1: number, y1: number) => ({ name, x0, y0, x1, y1 });

describe('reading order', () => {
  it('puts a title drawn last before the body', () => {
    const ordered = orderForReading([box('body', 50, 200, 550, 600), box('footer', 50, 750, 550, 770), box('title', 50, 60, 550, 90)]);
    assert.deepEqual(
      ordered.map((b) => b.name),
      ['title', 'body', 'footer'],
    );
  });

  it('reads two columns one after the other under a full-width heading', () => {
    const ordered = orderForReading([
      box('right-1', 320, 120, 550, 300),
      box('left-1', 50, 120, 290, 310),
      box('heading', 50, 50, 550, 90),
      box('left-2', 50, 330, 290, 700),
      box('right-2', 320, 320, 550, 700),
    ]);
    assert.deepEqual(
      ordered.map((b) => b.name),
      ['heading', 'left-1', 'left-2', 'right-1', 'right-2'],
    );
  });
});
