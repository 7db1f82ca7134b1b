import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEmbeddedPostgres, type RunningPostgres } from '../../scripts/services/postgres';

export interface EmbeddedDatabases {
  /** Base URL of the service, for TEST_PG_FACTORY_URL. */
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Test databases on a machine without PostgreSQL binaries. A PGlite instance serves a single database,
 * and PGlite cannot start inside jest's module sandbox (it loads its parts with `import()`), so global
 * setup runs this small HTTP service in jest's main process and test workers ask it over HTTP:
 * `POST /databases[?empty]` starts an instance from the migrated template (or an empty one) and answers
 * `{ id, url }`; `DELETE /databases/<id>` stops it.
 */
export async function serveEmbeddedDatabases(template: Blob): Promise<EmbeddedDatabases> {
  const running = new Map<string, RunningPostgres>();
  let lastId = 0;

  async function route(method: string | undefined, { pathname, searchParams }: URL): Promise<object> {
    if (method === 'POST' && pathname === '/databases') {
      const database = await startEmbeddedPostgres({ loadDataDir: searchParams.has('empty') ? undefined : template });
      const id = String(++lastId);
      running.set(id, database);
      return { id, url: database.url };
    }
    const id = /^\/databases\/(\d+)$/.exec(pathname)?.[1];
    if (method === 'DELETE' && id) {
      await running.get(id)?.stop();
      running.delete(id);
      return {};
    }
    throw new Error(`no route for ${method} ${pathname}`);
  }

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    route(request.method, new URL(request.url ?? '/', 'http://localhost')).then(
      (body) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body)),
      (error: unknown) => response.writeHead(500).end(String(error)),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      await new Promise((resolve) => server.close(resolve));
      await Promise.all([...running.values()].map((database) => database.stop()));
      running.clear();
    },
  };
}
