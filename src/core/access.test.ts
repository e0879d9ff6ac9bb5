import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isWorkspaceName, requiredRole, roleAllows } from './access.js';

describe('access', () => {
  it('orders roles so each may do what the ones below it may', () => {
    assert.equal(roleAllows('admin', 'write'), true);
    assert.equal(roleAllows('write', 'review'), true);
    assert.equal(roleAllows('review', 'read'), true);
    assert.equal(roleAllows('review', 'write'), false);
    assert.equal(roleAllows('read', 'review'), false);
    assert.equal(roleAllows('write', 'admin'), false);
  });

  it('asks read for reads, review for reviewing a run, write for other changes and admin for keys', () => {
    assert.equal(requiredRole('GET', '/v1/files/:id'), 'read');
    assert.equal(requiredRole('PATCH', '/v1/classify_runs/:id'), 'review');
    assert.equal(requiredRole('POST', '/v1/classify_runs/:id/redo'), 'write');
    assert.equal(requiredRole('DELETE', '/v1/webhooks/:id'), 'write');
    assert.equal(requiredRole('GET', '/v1/keys'), 'admin');
    assert.equal(requiredRole('GET', '/v1/keys/:id'), 'read');
    assert.equal(requiredRole('GET', '/v1/workspaces'), 'admin');
    assert.equal(requiredRole('GET', '/v1/keysmith'), 'read', 'a prefix is a path segment, not a string prefix');
  });

  it('accepts short lower-case workspace names only', () => {
    assert.equal(isWorkspaceName('default'), true);
    assert.equal(isWorkspaceName('acme-legal_2'), true);
    assert.equal(isWorkspaceName('Acme'), false);
    assert.equal(isWorkspaceName(''), false);
    assert.equal(isWorkspaceName('a/b'), false);
    assert.equal(isWorkspaceName('x'.repeat(64)), false);
  });
});
