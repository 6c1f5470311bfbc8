import { AccessPolicy, seesRecipients } from '../access/access.policy';
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
  StreamableFile,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsIn, IsInt, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import type { Response } from 'express';
import { APPLICATION_STATES } from '../../workflows/application.machine';
import { AttachmentsService, type Upload } from './attachments.service';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ALLOWED_TYPES } from '../files/attachment-rules';
import { Optional } from '../common/dto';
import { WorkflowResources, WorkflowRoutes } from '../workflow-http/workflow-resource';
import { APPLICATION_EVENTS } from './applications.events';
import { CurrentUser, Roles } from '../identity/auth.guard';
import { ApplicationsService } from './applications.service';
import { ApplicationListService, LIST_SORTS, type ListSort } from './application-list.service';
import { ScreeningService } from './screening.service';
import {
  ApplicationPage,
  ApplicationView,
  AttachmentView,
  BatchOutcomes,
  ScreeningView,
  StatusView,
  type BatchOutcome,
} from './application.views';
import {
  CREATE_APPLICATION_EXAMPLES,
  CreateApplicationDto,
  DECISION_BATCH_EXAMPLES,
  DecisionBatchDto,
  SCREENING_BATCH_EXAMPLES,
  ScreeningBatchDto,
} from './dto/application.dto';
import { LOCALES, type Locale } from '../../workflows/localised';
import type { AuthenticatedUser } from '../common/authenticated-user';

export class StatusQuery {
  /** The reader's own language unless another is asked for. */
  @Optional()
  @IsIn(LOCALES)
  locale?: Locale;
}

const commaList = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean)
    : value;

export class ListApplicationsQuery {
  @Optional()
  @IsUUID()
  callId?: string;

  /** One state or several, comma-separated: `submitted,more_info`. */
  @Optional()
  @Transform(commaList)
  @ArrayMaxSize(APPLICATION_STATES.length)
  @IsIn(APPLICATION_STATES, { each: true })
  state?: string[];

  @Optional()
  @IsString()
  @MaxLength(100)
  municipality?: string;

  /** Text the title contains, in any case. */
  @Optional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @Optional()
  @IsIn(LIST_SORTS)
  sort?: ListSort;

  @Optional()
  @IsIn(['asc', 'desc'])
  order?: 'asc' | 'desc';

  @Optional()
  @Transform(({ value }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value))
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @Optional()
  @IsString()
  @MaxLength(500)
  cursor?: string;
}

@ApiTags('applications')
@ApiBearerAuth()
@Controller('applications')
export class ApplicationsController extends WorkflowRoutes(APPLICATION_EVENTS) {
  constructor(
    resources: WorkflowResources,
    private readonly policy: AccessPolicy,
    private readonly service: ApplicationsService,
    private readonly lists: ApplicationListService,
    private readonly screenings: ScreeningService,
  ) {
    super(resources);
  }

  /**
   * The applications the caller may see (a group member: their group's), filtered by call, state,
   * municipality and words of the title; newest first unless sorted otherwise; a page at a time.
   */
  @Get()
  @ApiOperation({
    summary:
      'The applications the caller may see, filtered and sorted, a page at a time (a group member: their groups’ own; staff: their programme’s; a committee member: those they declared no conflict with)',
  })
  @ApiOkResponse({ type: ApplicationPage, description: 'one page, newest first unless sorted otherwise' })
  list(@Query() query: ListApplicationsQuery, @CurrentUser() user: AuthenticatedUser): Promise<ApplicationPage> {
    const { state, ...rest } = query;
    return this.lists.list(user, { ...rest, states: state });
  }

  /** The application as the manager screens it: answers beside the questions, and the computed eligibility check. */
  @Get(':id/screening')
  @Roles('manager')
  @ApiOperation({
    summary:
      'The application as the manager screens it: answers beside the questions, and the computed eligibility check (the programme’s managers)',
  })
  @ApiOkResponse({ type: ScreeningView, description: 'the application with its eligibility check' })
  async screening(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<ScreeningView> {
    await this.policy.act('application', id, user, 'GET /applications/:id/screening');
    return this.screenings.screening(id);
  }

  /** What the group sees: the state in plain words, what comes next, the timeline and the emails sent. */
  @Get(':id/status')
  @ApiOperation({
    summary:
      'What the group sees: the state in plain words, what comes next, the timeline and the emails sent (anyone who may see the application; recipients only for the group and managers)',
  })
  @ApiOkResponse({ type: StatusView, description: 'the status page’s content, in the language asked for' })
  async status(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: StatusQuery,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<StatusView> {
    await this.policy.see('application', id, user, 'GET /applications/:id/status');
    return this.service.status(id, query.locale ?? user.locale, seesRecipients(user.role));
  }

  @Get(':id')
  @ApiOperation({
    summary:
      'The application with its proposal, files and workflow state (the group’s members, the programme’s staff, a committee member who declared no conflict)',
  })
  @ApiOkResponse({
    type: ApplicationView,
    description: 'the application; `allowedEvents` is empty for a caller who may only read it',
  })
  show(@Param('id', new ParseUUIDPipe()) id: string, @CurrentUser() user: AuthenticatedUser): Promise<ApplicationView> {
    return this.policy
      .see('application', id, user, 'GET /:id')
      .then(({ related }) => this.service.get(id, related ? user.role : null));
  }
}

/** A value for `filename*=UTF-8''...`: percent-encoded, including the characters encodeURIComponent leaves alone that the header syntax reserves. */
function rfc5987(name: string): string {
  return encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Files the application carries: PDF, images and office documents, added and removed while it can be edited. */
@ApiTags('applications')
@ApiBearerAuth()
@Controller('applications/:id/attachments')
export class AttachmentsController {
  constructor(
    private readonly policy: AccessPolicy,
    private readonly attachments: AttachmentsService,
  ) {}

  @Post()
  @Roles('applicant')
  @UseInterceptors(FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiOperation({
    summary:
      'Adds a file (PDF, image or office document) to the application while it can be edited (a member of the applying group)',
  })
  @ApiCreatedResponse({ type: AttachmentView, description: 'the file as stored' })
  async add(
    @Param('id', new ParseUUIDPipe()) id: string,
    @UploadedFile() file: Upload | undefined,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<AttachmentView> {
    await this.policy.act('application', id, user, 'POST /applications/:id/attachments');
    return this.attachments.add(id, file, user);
  }

  /** The file, always as a download, under its sanitised name. */
  @Get(':attachmentId')
  @ApiOperation({
    summary:
      'The file, always as a download under its sanitised name (the group’s members, the programme’s staff, a committee member who declared no conflict)',
  })
  @ApiOkResponse({
    description: 'the file’s bytes, in the content type decided at upload; the Digest header carries its SHA-256',
    content: Object.fromEntries(
      [...new Set(ALLOWED_TYPES.map((t) => t.mime))].map((mime) => [
        mime,
        { schema: { type: 'string', format: 'binary' } },
      ]),
    ),
  })
  async download(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('attachmentId', new ParseUUIDPipe()) attachmentId: string,
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    await this.policy.act('application', id, user, 'GET /applications/:id/attachments/:attachmentId');
    const { attachment, data } = await this.attachments.read(id, attachmentId);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Digest', `sha-256=${Buffer.from(attachment.sha256, 'hex').toString('base64')}`);
    return new StreamableFile(data, {
      type: attachment.contentType,
      length: data.length,
      disposition: `attachment; filename="${attachment.name.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${rfc5987(attachment.name)}`,
    });
  }

  @Delete(':attachmentId')
  @Roles('applicant')
  @HttpCode(204)
  @ApiOperation({ summary: 'Removes a file while the application can be edited (a member of the applying group)' })
  @ApiNoContentResponse({ description: 'the file is gone' })
  async remove(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('attachmentId', new ParseUUIDPipe()) attachmentId: string,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<void> {
    await this.policy.act('application', id, user, 'DELETE /applications/:id/attachments/:attachmentId');
    await this.attachments.remove(id, attachmentId);
  }
}

/** Screening a call's applications: those waiting, and several decisions at once. */
@ApiTags('applications')
@ApiBearerAuth()
@Controller('calls/:callId/screening')
export class CallScreeningController {
  constructor(
    private readonly policy: AccessPolicy,
    private readonly screenings: ScreeningService,
  ) {}

  /** Submitted applications and those asked for more information, oldest first, each with its eligibility check. */
  @Get()
  @Roles('manager')
  @ApiOperation({
    summary:
      'The call’s submitted applications and those asked for more information, oldest first, each with its eligibility check (the programme’s managers)',
  })
  @ApiOkResponse({ type: [ScreeningView], description: 'the applications waiting for screening' })
  async waiting(
    @Param('callId', new ParseUUIDPipe()) callId: string,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<ScreeningView[]> {
    await this.policy.act('call', callId, user, 'GET /calls/:callId/screening');
    return this.screenings.screeningList(callId);
  }

  /** Each item is its own transition: the answer lists every outcome, refused ones with their reason. */
  @Post()
  @Roles('manager')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Several screening decisions (SCREEN, REQUEST_INFO) at once, each its own transition (the programme’s managers)',
  })
  @ApiBody({ type: ScreeningBatchDto, examples: SCREENING_BATCH_EXAMPLES })
  @ApiOkResponse({ type: BatchOutcomes, description: 'every item’s outcome, refused ones with their reason' })
  async screen(
    @Param('callId', new ParseUUIDPipe()) callId: string,
    @Body() dto: ScreeningBatchDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<BatchOutcomes> {
    await this.policy.act('call', callId, user, 'POST /calls/:callId/screening');
    return outcomes(await this.screenings.sendBatch(callId, dto.items, user, APPLICATION_EVENTS));
  }
}

function outcomes(results: BatchOutcome[]): BatchOutcomes {
  return { results, succeeded: results.filter((r) => r.ok).length, failed: results.filter((r) => !r.ok).length };
}

/** The committee's decisions, recorded by the manager: AWARD, REJECT or WAITLIST, several at once. */
@ApiTags('applications')
@ApiBearerAuth()
@Controller('calls/:callId/decisions')
export class CallDecisionsController {
  constructor(
    private readonly policy: AccessPolicy,
    private readonly screenings: ScreeningService,
  ) {}

  /**
   * Each item is its own transition, in the order given: an award that no longer fits the budget is
   * refused on its own (409) and the others stand.
   */
  @Post()
  @Roles('manager')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'The committee’s decisions (AWARD, REJECT, WAITLIST), several at once, each its own transition in the order given (the programme’s managers)',
  })
  @ApiBody({ type: DecisionBatchDto, examples: DECISION_BATCH_EXAMPLES })
  @ApiOkResponse({
    type: BatchOutcomes,
    description: 'every item’s outcome: an award that no longer fits the budget is refused alone',
  })
  async decide(
    @Param('callId', new ParseUUIDPipe()) callId: string,
    @Body() dto: DecisionBatchDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<BatchOutcomes> {
    await this.policy.act('call', callId, user, 'POST /calls/:callId/decisions');
    return outcomes(await this.screenings.sendBatch(callId, dto.items, user, APPLICATION_EVENTS));
  }
}

@ApiTags('applications')
@ApiBearerAuth()
@Controller('calls/:callId/applications')
export class CallApplicationsController {
  constructor(
    private readonly policy: AccessPolicy,
    private readonly service: ApplicationsService,
  ) {}

  /** Starts a draft application under an open call. */
  @Post()
  @Roles('applicant')
  @ApiOperation({ summary: 'Starts a draft application under an open call (a member of an initiative group)' })
  @ApiBody({ type: CreateApplicationDto, examples: CREATE_APPLICATION_EXAMPLES })
  @ApiCreatedResponse({ type: ApplicationView, description: 'the draft' })
  async create(
    @Param('callId', new ParseUUIDPipe()) callId: string,
    @Body() dto: CreateApplicationDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<ApplicationView> {
    await this.policy.see('call', callId, user, 'POST /calls/:callId/applications');
    const id = await this.service.create(callId, dto, user);
    return this.service.get(id, user.role);
  }
}
