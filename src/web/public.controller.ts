import { Controller, Get, Param, ParseUUIDPipe, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { LOCALES, inLocale, type Locale } from '../../workflows/localised';
import { CallsService } from '../calls/calls.service';
import { DomainError } from '../common/domain-error';
import { localPath } from '../common/local-path';
import { parseAmount } from '../common/money';
import { Public } from '../identity/auth.guard';
import { IdentityService } from '../identity/identity.service';
import { LANGUAGE_COOKIE, Pages, type PageLocals } from './pages';

const moneyOf = (text: string, currency: string) => ({ minor: parseAmount(text, currency), currency });

/** The pages anyone may read: the programme and its open calls, and the choice of language. */
@ApiExcludeController()
@Public()
@Controller()
export class PublicPagesController {
  constructor(
    private readonly pages: Pages,
    private readonly calls: CallsService,
    private readonly identity: IdentityService,
  ) {}

  @Get()
  async home(@Req() req: Request, @Res() res: Response): Promise<void> {
    const { locale } = res.locals as PageLocals;
    const calls = (await this.calls.openCalls()).map((call) => ({
      id: call.id,
      open: call.state === 'open',
      title: inLocale(call.title, locale),
      summary: inLocale(call.summary, locale),
      maxAward: moneyOf(call.maxAward, call.currency),
      budget: moneyOf(call.budget, call.currency),
      opensAt: call.opensAt,
      closesAt: call.closesAt,
      municipalities: call.eligibility.municipalities,
    }));
    this.pages.send(req, res, 'home.njk', { calls });
  }

  @Get('open-calls/:id')
  async call(@Param('id', new ParseUUIDPipe()) id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { locale } = res.locals as PageLocals;
    // Only a published call has a public page: a draft is as unknown here as a call that does not exist.
    const listed = (await this.calls.openCalls()).find((c) => c.id === id);
    if (!listed) throw DomainError.notFound('call', id);
    const call = await this.calls.get(id, null);
    this.pages.send(req, res, 'call.njk', {
      call: {
        id,
        open: listed.state === 'open',
        title: inLocale(call.title, locale),
        description: inLocale(call.description, locale),
        maxAward: moneyOf(call.maxAward, call.currency),
        budget: moneyOf(call.budget, call.currency),
        opensAt: call.opensAt,
        closesAt: call.closesAt,
        municipalities: call.municipalities,
        applicationsPerGroup: call.applicationsPerGroup,
        questions: call.questions.map((q) => ({ text: inLocale(q.text, locale), required: q.required })),
        criteria: call.criteria,
        scale: call.scale,
      },
    });
  }

  /** The language links: remembered in a cookie, and in the account of a reader who is signed in. */
  @Get('language/:lang')
  async language(@Param('lang') lang: string, @Query('back') back: unknown, @Res() res: Response): Promise<void> {
    if (!(LOCALES as readonly string[]).includes(lang)) throw DomainError.notFound('language', lang.slice(0, 10));
    const { user } = res.locals as PageLocals;
    if (user && user.locale !== lang) await this.identity.updateProfile(user.id, { locale: lang as Locale });
    res.cookie(LANGUAGE_COOKIE, lang, { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 365 * 24 * 3600 * 1000 });
    res.redirect(303, localPath(back));
  }
}
