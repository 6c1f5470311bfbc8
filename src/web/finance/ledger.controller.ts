import { Controller, Get, Header, Param, ParseUUIDPipe, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AuthenticatedUser } from '../../common/authenticated-user';
import { CurrentUser, Roles } from '../../identity/auth.guard';
import { Pages, type PageLocals } from '../pages';
import { LedgerPages } from './ledger-pages';

/**
 * The ledger's pages, for the programme's managers and finance officers alike: the programme's
 * balances per currency and per call (GET /finance/ledger) with its rows as CSV, and one call's
 * balance, grants and rows (GET /finance/calls/{id}/ledger). They read what the ledger's API reads,
 * through the same access policy; a call's payments CSV is the API's, which takes the session too.
 */
@ApiExcludeController()
@Controller('finance')
export class LedgerPagesController {
  constructor(
    private readonly pages: Pages,
    private readonly ledger: LedgerPages,
  ) {}

  @Get('ledger')
  @Roles('manager', 'finance')
  async programme(@CurrentUser() user: AuthenticatedUser, @Req() req: Request, @Res() res: Response): Promise<void> {
    const page = await this.ledger.programme(user, (res.locals as PageLocals).locale);
    this.pages.send(req, res, 'finance-ledger.njk', page);
  }

  /** Every row of the reader's programme's ledger, as GET /programmes/{id}/ledger.csv sends it. */
  @Get('ledger.csv')
  @Roles('manager', 'finance')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  async csv(@CurrentUser() user: AuthenticatedUser, @Res({ passthrough: true }) res: Response): Promise<string> {
    const csv = await this.ledger.csv(user);
    res.setHeader('Content-Disposition', `attachment; filename="ledger-${user.programmeId}.csv"`);
    return csv;
  }

  @Get('calls/:callId/ledger')
  @Roles('manager', 'finance')
  async call(
    @Param('callId', new ParseUUIDPipe()) callId: string,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const page = await this.ledger.call(callId, user, (res.locals as PageLocals).locale);
    this.pages.send(req, res, 'finance-call-ledger.njk', { ...page, role: user.role });
  }
}
