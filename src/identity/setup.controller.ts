import { Body, Controller, Get, Header, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { IsEmail, IsIn, IsString, Matches, MaxLength } from 'class-validator';
import type { Request, Response } from 'express';
import Handlebars from 'handlebars';
import { AppConfig } from '../config/config';
import { IsText, Optional, type BodyExamples } from '../common/dto';
import { CheckOrigin, Public } from './auth.guard';
import { SETUP_TOKEN, SetupService } from './setup.service';
import type { SessionGrant } from './identity.views';
import { ApiSessionGranted, grantSession } from './session-grant';
import { LOCALES, type Locale } from '../../workflows/localised';
import { pickLocale } from '../i18n/locale';
import { translate } from '../i18n/translate';

const TOKEN_MESSAGE = { message: 'token must be the token from the setup link the service printed at start' };

export class SetupPageQuery {
  @IsString()
  @Matches(SETUP_TOKEN, TOKEN_MESSAGE)
  token!: string;
}

export class SetupDto {
  @IsString()
  @Matches(SETUP_TOKEN, TOKEN_MESSAGE)
  token!: string;

  @IsEmail()
  @MaxLength(320)
  email!: string;

  @IsText(200)
  name!: string;

  @Optional()
  @IsIn(LOCALES)
  locale?: Locale;
}

const SETUP_EXAMPLES: BodyExamples<SetupDto> = {
  firstManager: {
    summary: 'The programme’s first manager, with the token of the setup link the service printed at start',
    value: {
      token: 'gwm_Qku-2aJ3et41bpOI_7aNlUtD-K4mv4AbgM_PHFIwePA',
      email: 'elmira.sadykova@example.org',
      name: 'Эльмира Садыкова',
      locale: 'ru',
    },
  },
};

const escape = (text: string) => Handlebars.Utils.escapeExpression(text);

/** The page of the one-time setup link, and the form it posts: the first manager, without the CLI. */
@ApiTags('setup')
@Public()
@Controller('setup')
export class SetupController {
  constructor(
    private readonly setup: SetupService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'The page of the one-time setup link (anyone with the link): a form asking the first manager’s email, name and language, in the browser’s language',
  })
  @ApiProduces('text/html')
  @ApiOkResponse({
    description: 'an HTML page whose form posts to POST /setup',
    content: {
      'text/html': {
        schema: {
          type: 'string',
          example: '<!doctype html><html lang="ky">…<form method="post" action="/setup">…</html>',
        },
      },
    },
  })
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  // No Referer ever holds the token; the form's post still carries its Origin.
  @Header('Referrer-Policy', 'strict-origin')
  async page(@Query() query: SetupPageQuery, @Req() req: Request): Promise<string> {
    await this.setup.check(query.token);
    const locale = pickLocale(null, req.headers['accept-language']);
    const t = (key: string, params = {}) => escape(translate(locale, key, params));
    const title = t('setup.title', { programme: this.config.PROGRAMME_NAME });
    const field = (id: string, type: string) =>
      `<p><label for="${id}">${t(`setup.${id}`)}</label><br><input id="${id}" name="${id}" type="${type}" required style="font-size:18px;width:100%"></p>`;
    const languages = LOCALES.map(
      (l) => `<option value="${l}"${l === locale ? ' selected' : ''}>${t(`language.${l}`)}</option>`,
    ).join('');
    return `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head>
<body style="font-family:Arial,sans-serif;font-size:18px;max-width:480px;margin:40px auto;padding:0 16px">
<h1 style="font-size:24px">${title}</h1>
<p>${t('setup.intro')}</p>
<form method="post" action="/setup"><input type="hidden" name="token" value="${escape(query.token)}">
${field('email', 'email')}
${field('name', 'text')}
<p><label for="locale">${t('setup.locale')}</label><br><select id="locale" name="locale" style="font-size:18px">${languages}</select></p>
<button type="submit" style="font-size:20px;padding:12px 28px">${t('setup.submit')}</button></form>
</body></html>`;
  }

  @Post()
  @CheckOrigin()
  @ApiOperation({
    summary: 'Make the first manager of the programme and sign them in (anyone with the setup link’s token)',
    description:
      'As a sign-in link does: a signed, HTTP-only session cookie, and the same session as a bearer token in the answer. The setup page’s form post (application/x-www-form-urlencoded) is sent on to `/me` instead.',
  })
  @ApiBody({ type: SetupDto, examples: SETUP_EXAMPLES })
  @ApiSessionGranted('the first manager')
  async create(
    @Body() dto: SetupDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SessionGrant | void> {
    const grant = await this.setup.createFirstManager(dto.token, {
      email: dto.email,
      name: dto.name,
      locale: dto.locale,
    });
    return grantSession(req, res, grant, this.config.BASE_URL);
  }
}
