import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';

// Which pages the pages bench measures: every GET route of the controllers under src/web, read from
// their Nest metadata, so a page added there is measured without a change to the bench. A route's
// `:id` is filled with the applicant's own call or application; any other parameter (a task's
// name) with the values the links of the pages already found give it.

/** The records a page's `:id` may stand for, one set per applicant. */
export interface JourneyIds {
  call: string;
  /** The applicant's initiative group. */
  group: string;
  /** A draft application: its task list and question pages. */
  draft: string;
  /** A submitted application: its status page, which every email links to. */
  submitted: string;
}

/** One page of the journey: its route, the parameters every applicant fills alike, and who reads it. */
export interface JourneyPage {
  route: string;
  fixed: Record<string, string>;
  /** Read without the session cookie: a visitor finding a call and signing in. */
  visitor: boolean;
}

function controllerFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(entry.parentPath, entry.name);
    if (entry.isDirectory()) return controllerFiles(path);
    return entry.name.endsWith('.controller.js') ? [path] : [];
  });
}

const asList = (path: unknown): string[] => (Array.isArray(path) ? (path as string[]) : [String(path ?? '')]);
const joinRoute = (...parts: string[]) =>
  `/${parts
    .map((part) => part.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/')}`;

/** The GET routes of the page controllers compiled under `dir` (dist/src/web), sorted. */
export async function pageRoutes(dir = join(__dirname, '..', 'src', 'web')): Promise<string[]> {
  const routes = new Set<string>();
  for (const file of controllerFiles(dir)) {
    const exports = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    for (const controller of Object.values(exports)) {
      if (typeof controller !== 'function' || !Reflect.hasMetadata(PATH_METADATA, controller)) continue;
      const prototype = controller.prototype as object;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = Object.getOwnPropertyDescriptor(prototype, name)?.value as unknown;
        if (name === 'constructor' || typeof handler !== 'function') continue;
        if (Reflect.getMetadata(METHOD_METADATA, handler) !== RequestMethod.GET) continue;
        for (const prefix of asList(Reflect.getMetadata(PATH_METADATA, controller)))
          for (const path of asList(Reflect.getMetadata(PATH_METADATA, handler))) routes.add(joinRoute(prefix, path));
      }
    }
  }
  return [...routes].sort();
}

/**
 * The record a route's parameter stands for: `:callId`, or `:id` under /open-calls, a call; `:id`
 * under /my-group the applicant's group, under /my-applications an application.
 */
function idFor(route: string, param: string, ids: JourneyIds): string | undefined {
  if (param === 'callId') return ids.call;
  if (param !== 'id') return undefined;
  if (route.startsWith('/open-calls/:id')) return ids.call;
  if (route.startsWith('/my-group/:id')) return ids.group;
  if (route === '/my-applications/:id') return ids.submitted;
  if (route.startsWith('/my-applications/:id/')) return ids.draft;
  return undefined;
}

const PARAM = /:(\w+)/g;

/** The parameters of `route` that no applicant's ids fill. */
export function openParams(route: string, ids: JourneyIds): string[] {
  return [...route.matchAll(PARAM)].map((m) => m[1]).filter((param) => idFor(route, param, ids) === undefined);
}

/** The page's path for the applicant with `ids`. */
export function pathOf(page: Pick<JourneyPage, 'route' | 'fixed'>, ids: JourneyIds): string {
  return page.route.replace(PARAM, (_, param: string) =>
    encodeURIComponent(idFor(page.route, param, ids) ?? page.fixed[param]),
  );
}

/** The page's route with its fixed parameters filled, for naming it: `/my-applications/:id/tasks/budget`. */
export function routeOf(page: Pick<JourneyPage, 'route' | 'fixed'>): string {
  return page.route.replace(PARAM, (param: string, name: string) => page.fixed[name] ?? param);
}

/**
 * The values of the open parameters of `route` that the `links` (paths found on the pages of the
 * applicant with `ids`) give, each set once: `/my-applications/:id/tasks/:task` and a link to
 * `/my-applications/<draft>/tasks/budget` give `{ task: 'budget' }`.
 */
export function fillsFromLinks(route: string, ids: JourneyIds, links: Iterable<string>): Record<string, string>[] {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = route
    .split(PARAM)
    .map((part, i) => (i % 2 === 0 ? escape(part) : (idFor(route, part, ids) ?? `(?<${part}>[^/?#]+)`)))
    .join('');
  const found = new Map<string, Record<string, string>>();
  for (const link of links) {
    const match = new RegExp(`^${pattern}$`).exec(link.split(/[?#]/)[0]);
    if (!match?.groups) continue;
    const fixed = Object.fromEntries(Object.entries(match.groups).map(([k, v]) => [k, decodeURIComponent(v)]));
    found.set(JSON.stringify(fixed), fixed);
  }
  return [...found.values()];
}

/** The site's own paths a page links to (`href="/..."`), with `&amp;` read back. */
export function linksOf(html: string): string[] {
  return [...html.matchAll(/href="(\/(?!\/)[^"]*)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
}
