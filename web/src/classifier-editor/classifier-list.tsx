/** Every saved classifier, newest first. */
import type { ClassifierView } from '../../../src/core/api-types.js';
import { get, type ListPage } from '../shared/api.js';
import { when } from '../shared/format.js';
import { ClassChip, Empty, Loading, Notice, PageHeader } from '../shared/ui.js';
import { useAsync } from '../shared/use-async.js';
import { mayWrite, type Session } from '../sign-in/sign-in.js';

export function ClassifierList({ session }: { session: Session }) {
  const list = useAsync(() => get<ListPage<ClassifierView>>('/v1/classifiers?limit=100'), []);
  return (
    <section class="screen">
      <PageHeader title="Classifiers" subtitle="Classes and settings; every save is a new version.">
        {mayWrite(session) ? (
          <a class="button primary" href="#/classifiers/new">
            New classifier
          </a>
        ) : null}
      </PageHeader>
      {list.error ? <Notice>{list.error.message}</Notice> : null}
      {list.loading && !list.data ? <Loading /> : null}
      {list.data && list.data.data.length === 0 ? (
        <Empty title="No classifiers yet">Create one to classify files with saved classes.</Empty>
      ) : null}
      <div class="card-grid">
        {list.data?.data.map((item) => (
          <a class="card classifier-card" key={item.id} href={`#/classifiers/${item.id}`}>
            <div class="card-head">
              <h2>{item.name || item.id}</h2>
              <span class="pill">v{item.version}</span>
            </div>
            <p class="muted small">
              {item.classes.length} classes · {item.settings.mode ?? 'document'} mode · updated {when(item.updated_at)}
            </p>
            <div class="chips">
              {item.classes.slice(0, 8).map((entry) => (
                <ClassChip key={entry.name} name={entry.name} />
              ))}
              {item.classes.length > 8 ? <span class="muted small">+{item.classes.length - 8}</span> : null}
            </div>
          </a>
        ))}
      </div>
    </section>
  );
}
