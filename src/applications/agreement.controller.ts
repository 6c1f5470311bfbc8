import { Body, Controller, Get, Param, ParseUUIDPipe, Put, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import type { Response } from 'express';
import { LOCALES, type Locale } from '../../workflows/localised';
import { AccessPolicy } from '../access/access.policy';
import { Optional } from '../common/dto';
import { DomainError, ErrorCode } from '../common/domain-error';
import type { AuthenticatedUser } from '../common/authenticated-user';
import { CurrentUser, Roles } from '../identity/auth.guard';
import { AgreementService } from './agreement.service';
import { BankDetailsService } from './bank-details.service';
import { BankDetailsRecord } from './bank-details.views';
import { BANK_DETAILS_EXAMPLES, BankDetailsDto } from './dto/bank-details.dto';

export class AgreementQuery {
  /** The reader's own language unless another is asked for. */
  @Optional()
  @IsIn(LOCALES)
  lang?: Locale;
}

/**
 * The grant's agreement and the account it is paid into are the group's and the programme's
 * managers' and finance officers': a committee member who may read the application gets 403.
 */
@ApiTags('applications')
@ApiBearerAuth()
@Controller('applications/:id')
export class AgreementController {
  constructor(
    private readonly policy: AccessPolicy,
    private readonly agreements: AgreementService,
    private readonly bankDetails: BankDetailsService,
  ) {}

  @Get('agreement')
  @ApiOperation({
    summary:
      'The grant agreement as HTML, in the language asked for (`?lang=ky|ru|en`, else the reader’s), once the application is awarded; the Digest header carries the SHA-256 its acceptance records (the group’s members, the programme’s managers and finance officers)',
  })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'the agreement’s HTML', content: { 'text/html': { schema: { type: 'string' } } } })
  async html(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: AgreementQuery,
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    await this.allow(id, user, 'GET /applications/:id/agreement');
    const document = await this.agreements.document(id, query.lang ?? user.locale);
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('Digest', `sha-256=${Buffer.from(document.sha256, 'hex').toString('base64')}`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    return document.html;
  }

  @Get('agreement.pdf')
  @ApiOperation({
    summary:
      'The grant agreement as a PDF laid out from the same HTML, in the language asked for, once the application is awarded (the group’s members, the programme’s managers and finance officers)',
  })
  @ApiOkResponse({
    description: 'the agreement as a PDF, its font embedded',
    content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
  })
  async pdf(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: AgreementQuery,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<StreamableFile> {
    await this.allow(id, user, 'GET /applications/:id/agreement.pdf');
    const locale = query.lang ?? user.locale;
    const pdf = await this.agreements.pdf(id, locale);
    return new StreamableFile(pdf, {
      type: 'application/pdf',
      length: pdf.length,
      disposition: `inline; filename="agreement-${id}-${locale}.pdf"`,
    });
  }

  @Get('bank-details')
  @ApiOperation({
    summary:
      'The account the grant is paid into, and every time it was given (who, when, why) (the group’s members, the programme’s managers and finance officers)',
  })
  @ApiOkResponse({ type: BankDetailsRecord, description: 'the account now, null until given, and its history' })
  async read(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<BankDetailsRecord> {
    await this.allow(id, user, 'GET /applications/:id/bank-details');
    return this.bankDetails.read(id);
  }

  @Put('bank-details')
  @Roles('applicant')
  @ApiOperation({
    summary:
      'Gives the account the grant is paid into: once awarded, before acceptance; while the grant runs only with a reason, which every member and the programme’s finance officers are told of and which sends approved unpaid tranches back for approval (a member of the group)',
  })
  @ApiBody({ type: BankDetailsDto, examples: BANK_DETAILS_EXAMPLES })
  @ApiOkResponse({ type: BankDetailsRecord, description: 'the account now and its history' })
  async put(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: BankDetailsDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<BankDetailsRecord> {
    await this.policy.act('application', id, user, 'PUT /applications/:id/bank-details');
    return this.bankDetails.put(id, dto, user);
  }

  /** 404 for an application the caller may not see; 403 for one they see but whose money is not theirs. */
  private async allow(id: string, user: AuthenticatedUser, route: string): Promise<void> {
    const { related } = await this.policy.see('application', id, user, route);
    if (!related || user.role === 'committee')
      throw DomainError.because(ErrorCode.Forbidden, [{ key: 'agreement.notForRole', params: { role: user.role } }]);
  }
}
