import { Controller, Get, Param, ParseUUIDPipe, Res } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AccessPolicy } from '../access/access.policy';
import { CsvResponse } from '../common/csv-response';
import type { AuthenticatedUser } from '../common/authenticated-user';
import { CurrentUser, Roles } from '../identity/auth.guard';
import { callLedger, programmeLedger, programmeLedgerCsv } from './ledger-reads';
import { CallLedgerView, ProgrammeLedgerView } from './ledger.views';

/** A call's and a programme's money, for the programme's managers and finance officers. */
@ApiTags('ledger')
@ApiBearerAuth()
@Controller()
export class LedgerController {
  constructor(
    private readonly orm: MikroORM,
    private readonly policy: AccessPolicy,
  ) {}

  @Get('calls/:callId/ledger')
  @Roles('manager', 'finance')
  @ApiOperation({
    summary:
      'The call’s ledger: budget, committed, disbursed and available, each grant’s awarded, paid and outstanding, and every row (the programme’s managers and finance officers)',
  })
  @ApiOkResponse({ type: CallLedgerView })
  async ofCall(
    @Param('callId', new ParseUUIDPipe()) callId: string,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<CallLedgerView> {
    await this.policy.act('call', callId, user, 'GET /calls/:callId/ledger');
    return callLedger(this.orm.em.fork(), callId);
  }

  @Get('programmes/:programmeId/ledger')
  @Roles('manager', 'finance')
  @ApiOperation({
    summary:
      'The programme’s balances, per call and per currency: a EUR call and a KGS fund are never added together (the programme’s managers and finance officers)',
  })
  @ApiOkResponse({ type: ProgrammeLedgerView })
  ofProgramme(
    @Param('programmeId', new ParseUUIDPipe()) programmeId: string,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<ProgrammeLedgerView> {
    this.policy.staffOf(programmeId, user, 'GET /programmes/:programmeId/ledger');
    return programmeLedger(this.orm.em.fork(), programmeId);
  }

  @Get('programmes/:programmeId/ledger.csv')
  @Roles('manager', 'finance')
  @ApiOperation({
    summary:
      'Every row of the programme’s ledger as CSV (UTF-8 with a byte-order mark), oldest first (the programme’s managers and finance officers)',
  })
  @CsvResponse(
    'a header row, then one row per money movement; sent as an attachment',
    'at,kind,amount,currency,call,reference,project,tranche,event,transition\n' +
      '2027-02-01T09:30:00.000Z,disbursed,1750.00,EUR,Mini-grants 2027,KG-2027-0007,Clean water for Zhazy school,1,RECORD_PAYMENT,4\n',
  )
  async csv(
    @Param('programmeId', new ParseUUIDPipe()) programmeId: string,
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    this.policy.staffOf(programmeId, user, 'GET /programmes/:programmeId/ledger.csv');
    res.setHeader('Content-Disposition', `attachment; filename="ledger-${programmeId}.csv"`);
    return programmeLedgerCsv(this.orm.em.fork(), programmeId);
  }
}
