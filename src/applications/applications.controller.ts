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
import type { AttachmentView } from './attachment.entity';
import { ApiBearerAuth, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { Optional } from '../common/dto';
import { WorkflowResources, WorkflowRoutes } from '../workflow-http/workflow-resource';
import { APPLICATION_EVENTS } from './applications.events';
import { CurrentUser, Roles } from '../identity/auth.guard';
import { ApplicationsService, type ApplicationView, type StatusView } from './applications.service';
import { ApplicationListService, LIST_SORTS, type ApplicationPage, type ListSort } from './application-list.service';
import { ScreeningService, type BatchOutcome, type ScreeningView } from './screening.service';
import { CreateApplicationDto, ScreeningBatchDto, DecisionBatchDto } from './dto/application.dto';
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
  list(@Query() query: ListApplicationsQuery, @CurrentUser() user: AuthenticatedUser): Promise<ApplicationPage> {
    const { state, ...rest } = query;
    return this.lists.list(user, { ...rest, states: state });
  }

  /** The application as the manager screens it: answers beside the questions, and the computed eligibility check. */
  @Get(':id/screening')
  @Roles('manager')
  async screening(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<ScreeningView> {
    await this.policy.act('application', id, user, 'GET /applications/:id/screening');
    return this.screenings.screening(id);
  }

  /** What the group sees: the state in plain words, what comes next, the timeline and the emails sent. */
  @Get(':id/status')
  async status(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: StatusQuery,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<StatusView> {
    await this.policy.see('application', id, user, 'GET /applications/:id/status');
    return this.service.status(id, query.locale ?? user.locale, seesRecipients(user.role));
  }

  @Get(':id')
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
  async screen(
    @Param('callId', new ParseUUIDPipe()) callId: string,
    @Body() dto: ScreeningBatchDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<{ results: BatchOutcome[]; succeeded: number; failed: number }> {
    await this.policy.act('call', callId, user, 'POST /calls/:callId/screening');
    return outcomes(await this.screenings.sendBatch(callId, dto.items, user, APPLICATION_EVENTS));
  }
}

function outcomes(results: BatchOutcome[]): { results: BatchOutcome[]; succeeded: number; failed: number } {
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
  async decide(
    @Param('callId', new ParseUUIDPipe()) callId: string,
    @Body() dto: DecisionBatchDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<{ results: BatchOutcome[]; succeeded: number; failed: number }> {
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
