import { existsSync } from 'node:fs';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';
import { projectRoot } from '../../../infra/paths';

/** Where `npm run build` puts the cabinet's page (vite, cabinet/vite.config.ts). */
export const CABINET_DIST = path.join(projectRoot, 'cabinet', 'dist');

/**
 * Telegram's web clients show a Mini App in an iframe of web.telegram.org; the apps show it in a webview
 * (no frame ancestor). Nobody else may frame it.
 */
const FRAME_ANCESTORS = "'self' https://web.telegram.org";

/**
 * The page loads nothing but its own bundle (the Telegram SDK is bundled, not fetched from telegram.org),
 * talks only to this server, and shows a person's documents from blob: URLs it made itself.
 */
export const CABINET_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "font-src 'self'",
  "connect-src 'self'",
  'frame-src blob:',
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  `frame-ancestors ${FRAME_ANCESTORS}`,
].join('; ');

function securityHeaders(request: Request, response: Response, next: NextFunction): void {
  response.setHeader('Content-Security-Policy', CABINET_CSP);
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Referrer-Policy', 'no-referrer');
  response.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
  response.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  // Answers of the API are one person's data: no browser or proxy keeps them.
  if (request.path.startsWith('/api/')) {
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('Pragma', 'no-cache');
  }
  next();
}

/**
 * Serves the cabinet (R-CABINET) from the bot process's HTTP server, behind the same reverse proxy as
 * the webhook: security headers on every /cabinet response, the built page under /cabinet/ (hashed
 * assets cached for a year, the HTML never), and the JSON API under /cabinet/api (Nest controllers).
 * Registered before Nest's routes so that the headers reach the API's answers too.
 */
export function mountCabinet(app: INestApplication, dist = CABINET_DIST): void {
  const server = app.getHttpAdapter().getInstance() as express.Express;
  server.use('/cabinet', securityHeaders);
  server.get('/cabinet', (request: Request, response: Response, next: NextFunction) =>
    // Without the slash, relative requests would leave the cabinet; keep the path exact otherwise.
    request.originalUrl === '/cabinet' ? response.redirect(301, '/cabinet/') : next(),
  );
  const index = path.join(dist, 'index.html');
  server.get(['/cabinet/', '/cabinet/index.html'], (_request: Request, response: Response) => {
    if (!existsSync(index)) {
      response
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('The cabinet is not built: run `npm run build` (it builds cabinet/ into cabinet/dist).');
      return;
    }
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(index);
  });
  server.use(
    '/cabinet/assets',
    express.static(path.join(dist, 'assets'), {
      index: false,
      fallthrough: true,
      immutable: true,
      maxAge: '365d',
    }),
  );
}
