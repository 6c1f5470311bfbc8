import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import nunjucks from 'nunjucks';
import type { ExplanationParams } from '../../workflows/kit';
import { LOCALES, type Locale } from '../../workflows/localised';
import type { AuthenticatedUser } from '../common/authenticated-user';
import { AppConfig } from '../config/config';
import { formatDate, formatDay, formatMoney, type Money } from '../i18n/format';
import { pickLocale } from '../i18n/locale';
import { translate } from '../i18n/translate';

/** The cookie the language links set: the language of a reader who has not signed in. */
export const LANGUAGE_COOKIE = 'grants_lang';

/** What a page's request carries once the web middleware has read it. */
export interface PageLocals {
  page: true;
  locale: Locale;
  /** The signed-in reader, on any page, public ones included; null for a visitor. */
  user: AuthenticatedUser | null;
  csrfToken: string;
}

/** The folder holding `name`, looked for from this file upwards: the same from src/ and from dist/. */
function findUp(name: string): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, name))) return join(dir, name);
    if (dirname(dir) === dir) throw new Error(`${name} not found above ${__dirname}`);
  }
}

/** Where the built styles, fonts and scripts are (npm run build writes them). */
export const ASSETS_DIR = join(dirname(findUp('package.json')), 'dist', 'assets');

const LANGUAGE_NAMES: Record<Locale, string> = { ky: 'Кыргызча', ru: 'Русский', en: 'English' };

/**
 * The page views: Nunjucks templates in templates/pages, with GOV.UK Frontend's macros, every value
 * escaped (autoescape); the words of every page come from the one catalogue, in the reader's language.
 */
@Injectable()
export class Pages {
  private readonly env: nunjucks.Environment;
  private readonly assetVersions = new Map<string, string>();

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {
    const govuk = join(dirname(findUp('node_modules/govuk-frontend/package.json')), 'dist');
    this.env = new nunjucks.Environment(new nunjucks.FileSystemLoader([join(findUp('templates'), 'pages'), govuk]), {
      autoescape: true,
      throwOnUndefined: false,
    });
    // GOV.UK Frontend's macros trim much of their output; Nunjucks's own trim runs a slow regex.
    // This one keeps what it trims marked safe or not, as Nunjucks's does.
    const { SafeString } = nunjucks.runtime;
    this.env.addFilter('trim', (value: unknown) =>
      value instanceof SafeString ? new SafeString(value.toString().trim()) : String(value ?? '').trim(),
    );
  }

  /** The reader's language: their account's, else the language links' cookie, else Accept-Language. */
  localeOf(request: Request, user: AuthenticatedUser | null): Locale {
    const chosen = (request.cookies as Record<string, unknown> | undefined)?.[LANGUAGE_COOKIE];
    return pickLocale(user?.locale ?? (typeof chosen === 'string' ? chosen : null), request.headers['accept-language']);
  }

  /** An asset's address with a digest of its content, so it can be cached for good. */
  asset(name: string): string {
    let version = this.assetVersions.get(name);
    if (version === undefined) {
      const file = join(ASSETS_DIR, name);
      version = existsSync(file) ? createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 12) : '0';
      this.assetVersions.set(name, version);
    }
    return `/assets/${name}?v=${version}`;
  }

  /** Renders `view` for the request's reader with `context`, and sends it with `status`. */
  send(request: Request, response: Response, view: string, context: Record<string, unknown>, status = 200): void {
    response
      .status(status)
      .setHeader('Content-Type', 'text/html; charset=utf-8')
      .setHeader('Cache-Control', 'no-store')
      .send(this.render(request, response, view, context));
  }

  render(request: Request, response: Response, view: string, context: Record<string, unknown>): string {
    const locals = response.locals as PageLocals;
    const locale = locals.locale ?? this.localeOf(request, null);
    const timeZone = this.config.PROGRAMME_TIME_ZONE;
    const t = (key: string, params: ExplanationParams = {}) => translate(locale, key, params, { timeZone });
    const here = request.originalUrl.startsWith('/') ? request.originalUrl : '/';
    return this.env.render(view, {
      ...context,
      lang: locale,
      user: locals.user ?? null,
      csrfToken: locals.csrfToken,
      programmeName: this.config.PROGRAMME_NAME,
      t,
      money: (amount: Money) => formatMoney(amount, locale),
      date: (iso: string) => formatDate(iso, locale, timeZone),
      day: (iso: string) => formatDay(iso, locale, timeZone),
      asset: (name: string) => this.asset(name),
      languages: LOCALES.map((l) => ({
        text: LANGUAGE_NAMES[l],
        lang: l,
        current: l === locale,
        href: `/language/${l}?back=${encodeURIComponent(here)}`,
      })),
    });
  }
}
