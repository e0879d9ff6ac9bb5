import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BOUNDARY_CUES, BOUNDARY_WEIGHTS, type BoundaryWeights, CUE_DIRECTION } from '../src/classify/boundary-cues.js';
import { fitWeights } from './fit-boundaries.js';

const index = (cue: string) => BOUNDARY_CUES.indexOf(cue as (typeof BOUNDARY_CUES)[number]);

function rowsWhere(cue: string, boundaryWhenSeen: boolean, count = 200) {
  return Array.from({ length: count }, (_, i) => {
    const values = new Array<number>(BOUNDARY_CUES.length).fill(0);
    const seen = i % 2 === 0;
    values[index(cue)] = seen ? 1 : 0;
    return { values, boundary: seen === boundaryWhenSeen ? 1 : 0 };
  });
}

describe('fitWeights', () => {
  it('strengthens a cue the bundles say is right', () => {
    const fitted = fitWeights(rowsWhere('counterRestarts', true), BOUNDARY_WEIGHTS, 0.001);
    assert.ok(fitted.weights.counterRestarts > BOUNDARY_WEIGHTS.weights.counterRestarts);
  });

  it('keeps every cue on the side its meaning puts it, whatever the bundles say', () => {
    // Bundles in which "the page counter goes on" always comes with a new document.
    const fitted = fitWeights(rowsWhere('counterGoesOn', true), BOUNDARY_WEIGHTS, 0.001);
    assert.equal(fitted.weights.counterGoesOn, 0);
    for (const cue of BOUNDARY_CUES) assert.ok(fitted.weights[cue] * CUE_DIRECTION[cue] >= 0, cue);
  });

  it('leaves a cue the bundles never show at its prior', () => {
    const prior: BoundaryWeights = BOUNDARY_WEIGHTS;
    const fitted = fitWeights(rowsWhere('counterRestarts', true), prior, 0.01);
    assert.ok(Math.abs(fitted.weights.pageContinues - prior.weights.pageContinues) < 0.01);
  });
});
