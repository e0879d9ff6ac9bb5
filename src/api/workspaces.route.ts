/** Workspaces over HTTP, for admin keys: which exist and how many active keys each has. A key naming a new one makes it. */
import { Type } from '@sinclair/typebox';
import { WorkspaceView } from '../core/api-types.js';
import type { Deps } from '../deps.js';
import { countActiveKeysByWorkspace } from '../auth/api-keys.queries.js';
import { toRfc3339 } from '../runs/run-view.js';
import { listWorkspaces } from '../store/workspaces.queries.js';
import type { ApiInstance } from './api-instance.js';
import { ERROR_RESPONSES } from './schemas.js';

const WorkspaceList = Type.Object({ object: Type.Literal('list'), data: Type.Array(WorkspaceView) });

export function registerWorkspaceRoutes(app: ApiInstance, deps: Deps): void {
  const db = deps.store.db;
  app.get(
    '/v1/workspaces',
    {
      schema: {
        operationId: 'listWorkspaces',
        summary: 'List workspaces (admin); make one by creating a key with `workspace`',
        tags: ['keys'],
        response: { 200: WorkspaceList, ...ERROR_RESPONSES },
      },
    },
    async () => {
      const [workspaces, keys] = await Promise.all([listWorkspaces(db), countActiveKeysByWorkspace(db)]);
      return {
        object: 'list' as const,
        data: workspaces.map((workspace) => ({
          object: 'workspace' as const,
          id: workspace.id,
          active_keys: keys.get(workspace.id) ?? 0,
          created_at: toRfc3339(workspace.created_at),
        })),
      };
    },
  );
}
