import { join, resolve } from 'node:path';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  Min,
  MinLength,
  Validate,
  ValidatorConstraint,
  validateSync,
  type ValidatorConstraintInterface,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

@ValidatorConstraint({ name: 'isTimeZone' })
class IsTimeZone implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'string') return false;
    try {
      new Intl.DateTimeFormat('en', { timeZone: value });
      return true;
    } catch {
      return false;
    }
  }

  defaultMessage(): string {
    return 'PROGRAMME_TIME_ZONE must be an IANA time zone such as Asia/Bishkek';
  }
}

/** The service's environment, validated once at start. */
export class AppConfig {
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  DATA_DIR = './data';

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl(
    { protocols: ['postgres', 'postgresql'], require_tld: false, require_protocol: true },
    { message: 'DATABASE_URL must be a postgres:// URL' },
  )
  DATABASE_URL?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl(
    { protocols: ['smtp', 'smtps'], require_tld: false, require_protocol: true },
    { message: 'SMTP_URL must be an smtp:// or smtps:// URL' },
  )
  SMTP_URL?: string;

  /** Where people reach the service, for links in emails; unset: `http://localhost:<PORT>`. */
  @IsUrl({ require_tld: false, require_protocol: true }, { message: 'BASE_URL must be an http(s) URL' })
  BASE_URL = '';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Where log lines go: unset, standard output; a path, appended to that file. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  LOG_FILE?: string;

  /** How often the scheduler looks for due timers, in ms; 0 turns the scheduler off in this process. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  TIMER_POLL_MS = 1000;

  /**
   * Signs session cookies and derives sign-in link tokens. Unset: a random one is kept in
   * `DATA_DIR/session-secret`; set it when several machines run the service.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'SESSION_SECRET must be at least 32 characters' })
  SESSION_SECRET?: string;

  /** How long a session lasts after signing in. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(24 * 30)
  SESSION_HOURS = 12;

  /** How long a sign-in link works. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(24 * 60)
  LOGIN_LINK_MINUTES = 15;

  /** How long the link in an invitation works. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(24 * 30)
  INVITATION_HOURS = 72;

  /** Sign-in link requests and exchanges allowed per IP address in 15 minutes. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  SIGN_IN_LIMIT_PER_IP = 30;

  /** Sign-in links that may be asked for one address in 15 minutes. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  SIGN_IN_LIMIT_PER_EMAIL = 5;

  /** Invitations one applicant group may send in 24 hours (POST /groups/{id}/members). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  MEMBER_INVITES_PER_GROUP_PER_DAY = 20;

  /** Invitations one person may send in 24 hours, over all their groups. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  MEMBER_INVITES_PER_PERSON_PER_DAY = 50;

  /** Sender of every email, as `Name <address>`. */
  @IsString()
  MAIL_FROM = 'Community Mini-Grants <grants@localhost>';

  /** The programme's name, shown at the top of every email. */
  @IsString()
  PROGRAMME_NAME = 'Community Mini-Grants';

  /** How to reach the programme, shown in every email's footer. */
  @IsString()
  PROGRAMME_CONTACT = 'grants@localhost';

  /** Dates in emails are written in this IANA time zone. */
  @Validate(IsTimeZone)
  PROGRAMME_TIME_ZONE = 'Asia/Bishkek';

  /** How often the mail worker looks for work, in ms; 0 turns it off in this process. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  MAIL_POLL_MS = 1000;

  /** Sending attempts before an email is dead (a permanent SMTP refusal is dead at once). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(50)
  MAIL_MAX_ATTEMPTS = 8;

  /** First retry delay in ms; each further one doubles, with jitter, up to an hour. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  MAIL_RETRY_BASE_MS = 30_000;

  /** How long a dispatcher holds an email it is sending before another may take it over, in ms. */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  MAIL_LEASE_MS = 120_000;

  /** Where attachments are stored; unset: `DATA_DIR/files`. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  FILES_DIR?: string;

  /** The largest attachment accepted, in MiB. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  ATTACHMENT_MAX_MB = 10;

  /** Attachments one application may carry. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  ATTACHMENTS_PER_APPLICATION = 20;

  get filesDir(): string {
    return resolve(this.FILES_DIR ?? join(this.DATA_DIR, 'files'));
  }

  get dataDir(): string {
    return resolve(this.DATA_DIR);
  }
}

export class ConfigError extends Error {}

/** Reads and validates the environment; throws one ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const known = Object.keys(new AppConfig());
  const picked = Object.fromEntries(known.filter((k) => env[k] !== undefined).map((k) => [k, env[k]]));
  const config = plainToInstance(AppConfig, picked);
  if (!config.BASE_URL) config.BASE_URL = `http://localhost:${config.PORT}`;
  const errors = validateSync(config);
  if (errors.length > 0) {
    const lines = errors.map((e) => Object.values(e.constraints ?? {}).join(', ') || `${e.property} is invalid`);
    throw new ConfigError(`invalid configuration: ${lines.join('; ')}`);
  }
  return config;
}
