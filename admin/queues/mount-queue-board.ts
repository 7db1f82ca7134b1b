import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { INestApplication } from '@nestjs/common';
import type { Queue } from 'bullmq';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { FailedNotifications } from '../../core/notifications/failed-notifications';
import { QUEUE } from '../../infra/queues/queues';
import { BOARD_COOKIE, BOARD_SESSION_SECONDS, BoardSessions, cookieValue } from './board-session';
import { BOARD_PAGE_CSP, failedNotificationsPage, loginPage } from './board-pages';

/** Where the dashboard lives: under the admin path, next to the admin API. */
export const QUEUE_BOARD_PATH = '/admin/queues';

/** Who the audit journal names for a retry pressed on the dashboard. */
const BOARD_ACTOR = { type: 'admin', id: 'queue-board' } as const;

export interface QueueBoardOptions {
  adminToken: string | undefined;
  queues: readonly Queue[];
  failed: FailedNotifications;
  now?: () => number;
}

/**
 * The engineer on call's view of the queues (Bull Board) and of FAILED notifications, in the bot process
 * under /admin/queues, for the platform admin only (ADMIN_API_TOKEN; organization admin keys do not open
 * it). A browser cannot send a Bearer header, so the token is posted once to /login and exchanged for a
 * signed, HttpOnly, SameSite=Strict cookie of 30 minutes scoped to this path; scripts may send the
 * Bearer header instead. Without ADMIN_API_TOKEN nothing is mounted (404, like the admin API).
 *
 * The outbound queue is read-only here: its jobs carry notifications whose state lives in the database,
 * and a FAILED one is retried with the notifications page (or the admin API, or the CLI), which puts
 * the row back to PENDING; retrying its job alone would find the row FAILED and send nothing.
 */
export function mountQueueBoard(app: INestApplication, options: QueueBoardOptions): void {
  if (!options.adminToken) return;
  const sessions = new BoardSessions(options.adminToken, options.now);
  const server = app.getHttpAdapter().getInstance() as express.Express;
  const base = QUEUE_BOARD_PATH;

  const boardAdapter = new ExpressAdapter();
  boardAdapter.setBasePath(base);
  createBullBoard({
    queues: options.queues.map(
      (queue) =>
        new BullMQAdapter(queue, {
          readOnlyMode: queue.name === QUEUE.outbound,
          description:
            queue.name === QUEUE.outbound
              ? 'Read-only: retry FAILED notifications under «Failed notifications» (they are rows in the database)'
              : '',
        }),
    ),
    serverAdapter: boardAdapter,
    options: {
      uiConfig: {
        boardTitle: 'nmo-assistant',
        miscLinks: [
          { text: 'Failed notifications', url: `${base}/notifications` },
          { text: 'Sign out', url: `${base}/logout` },
        ],
      },
    },
  });

  const securityHeaders = (request: Request, response: Response, next: NextFunction) => {
    response.setHeader('X-Frame-Options', 'DENY');
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Referrer-Policy', 'no-referrer');
    response.setHeader('Cache-Control', 'no-store');
    next();
  };
  const bearer = (request: Request) => /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(request.headers.authorization ?? '')?.[1];
  const signedIn = (request: Request) => {
    const token = bearer(request);
    if (token !== undefined) return sessions.isAdminToken(token);
    return sessions.valid(cookieValue(request.headers.cookie, BOARD_COOKIE));
  };
  const secure = (request: Request) => request.secure || request.headers['x-forwarded-proto'] === 'https';
  const setSession = (request: Request, response: Response, value: string, maxAge: number) =>
    response.setHeader(
      'Set-Cookie',
      `${BOARD_COOKIE}=${value}; Max-Age=${maxAge}; Path=${base}; HttpOnly; SameSite=Strict${secure(request) ? '; Secure' : ''}`,
    );
  /** A change asked by a page of another site is refused even if a browser sent the cookie along. */
  const sameOrigin = (request: Request) => {
    const origin = request.headers.origin;
    if (!origin || origin === 'null') return origin === undefined;
    try {
      return new URL(origin).host === request.headers.host;
    } catch {
      return false;
    }
  };
  const html = (response: Response, status: number, body: string) =>
    response.status(status).setHeader('Content-Security-Policy', BOARD_PAGE_CSP).type('html').send(body);

  server.use(base, securityHeaders);
  server.get(`${base}/login`, (_request: Request, response: Response) => html(response, 200, loginPage(base, false)));
  server.post(`${base}/login`, express.urlencoded({ extended: false, limit: '4kb' }), (request: Request, response: Response) => {
    const posted = (request.body as { token?: unknown } | undefined)?.token;
    const token = bearer(request) ?? (typeof posted === 'string' ? posted : '');
    if (!sameOrigin(request) || !sessions.isAdminToken(token)) {
      response.setHeader('WWW-Authenticate', 'Bearer realm="admin"');
      html(response, 401, loginPage(base, true));
      return;
    }
    setSession(request, response, sessions.issue(), BOARD_SESSION_SECONDS);
    response.redirect(303, `${base}/`);
  });
  server.get(`${base}/logout`, (request: Request, response: Response) => {
    setSession(request, response, '', 0);
    response.redirect(303, `${base}/login`);
  });
  // Everything below needs a session (or the Bearer header).
  server.use(base, (request: Request, response: Response, next: NextFunction) => {
    if (!signedIn(request)) {
      // A page opened in a browser goes to the sign-in page; the board's API (and any script) gets 401.
      if (request.method === 'GET' && !request.path.startsWith('/api/')) response.redirect(303, `${base}/login`);
      else
        response
          .setHeader('WWW-Authenticate', 'Bearer realm="admin"')
          .status(401)
          .json({ error: 'sign in first (POST the admin token to /admin/queues/login)' });
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD' && !sameOrigin(request)) {
      response.status(403).json({ error: 'cross-site request refused' });
      return;
    }
    next();
  });
  server.get(`${base}/notifications`, (_request: Request, response: Response, next: NextFunction) => {
    options.failed.list().then((failed) => html(response, 200, failedNotificationsPage(base, failed)), next);
  });
  server.post(`${base}/notifications/retry`, (_request: Request, response: Response, next: NextFunction) => {
    options.failed
      .retry({}, BOARD_ACTOR)
      .then(async (outcome) => html(response, 200, failedNotificationsPage(base, await options.failed.list(), outcome)))
      .catch(next);
  });
  server.use(base, boardAdapter.getRouter() as express.Router);
}
