import './config/node-check';
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { ROLES, type Role } from '../workflows/kit';
import { ConfigError, loadConfig } from './config/config';
import { openEmbedded, openOrm, type DatabaseTarget } from './config/database';
import { ENTITIES } from './entities';
import { DataDirLocked, lockDataDir } from './config/data-dir-lock';
import { verifyLog } from './engine/log-verifier';
import { verifyLedger } from './ledger/ledger-verifier';
import { User } from './identity/identity.entities';
import { IdentityService, STAFF_ROLES } from './identity/identity.service';
import { DomainError } from './common/domain-error';
import type { MikroORM } from '@mikro-orm/core';
import { LOCALES, type Locale } from '../workflows/localised';

const USAGE = `usage:
  npm run cli -- user:create --email EMAIL --role ${ROLES.join('|')} [--name NAME] [--locale ${LOCALES.join('|')}] [--programme NAME]
      creates a user and prints an API token (alone on the last line; shown only once); a manager,
      finance officer or committee member joins the programme NAME (PROGRAMME_NAME by default),
      made if it does not exist yet
  npm run cli -- verify-log
      recomputes every transition log hash chain; exit 1 and the first broken row of each bad chain
  npm run cli -- verify-ledger
      recomputes the ledger from the transitions and checks every tranche against it; exit 1 and
      each difference, the first first
  npm run cli -- token:revoke --email EMAIL
      signs the user out everywhere: revokes every API token and ends every session; prints how
      many (a running service stops accepting them within 5 seconds)`;

async function userCreate(orm: MikroORM, args: string[], defaultProgramme: string): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      email: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      locale: { type: 'string' },
      programme: { type: 'string' },
    },
  });
  if (!values.email || !/^[^\s@]+@[^\s@]+$/.test(values.email))
    throw new UsageError('--email must be an email address');
  if (!ROLES.includes(values.role as Role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
  if (values.locale && !LOCALES.includes(values.locale as Locale))
    throw new UsageError(`--locale must be one of ${LOCALES.join(', ')}`);
  const identity = new IdentityService(orm);
  const staff = STAFF_ROLES.includes(values.role as Role);
  const programme = staff ? await identity.ensureProgramme(values.programme ?? defaultProgramme) : null;
  const { user, token } = await identity.createUser({
    programmeId: programme?.id ?? null,
    email: values.email,
    name: values.name ?? values.email.split('@')[0],
    role: values.role as Role,
    locale: (values.locale as Locale | undefined) ?? 'en',
  });
  const of = programme ? ` of ${programme.name}` : '';
  process.stdout.write(`created ${user.role} ${user.email} (${user.id})${of}; API token:\n${token}\n`);
  return 0;
}

async function tokenRevoke(orm: MikroORM, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { email: { type: 'string' } } });
  if (!values.email) throw new UsageError('--email must be given');
  const email = values.email.trim().toLowerCase();
  const user = await orm.em.fork().findOne(User, { email });
  if (!user) {
    process.stderr.write(`no user has the email ${email}\n`);
    return 1;
  }
  const { sessions, apiTokens } = await new IdentityService(orm).revokeAll(user.id);
  process.stdout.write(`revoked ${apiTokens} API token(s) and ${sessions} session(s) of ${email}\n`);
  return 0;
}

async function verify(orm: MikroORM): Promise<number> {
  const report = await verifyLog(orm.em.fork());
  for (const b of report.breaks) {
    process.stdout.write(`BROKEN instance ${b.instanceId} at seq ${b.seq} (row ${b.logId}): ${b.problem}\n`);
  }
  process.stdout.write(`${report.instances} chains, ${report.rows} rows checked, ${report.breaks.length} broken\n`);
  return report.breaks.length === 0 ? 0 : 1;
}

async function ledger(orm: MikroORM): Promise<number> {
  const report = await verifyLedger(orm.em.fork());
  for (const d of report.differences) {
    const at = d.seq === null ? '' : ` at seq ${d.seq} (${d.event})`;
    process.stdout.write(`DIFFERENT ${d.subject}${at}: ${d.problem}\n`);
  }
  process.stdout.write(
    `${report.rows} ledger rows, ${report.transitions} transitions and ${report.tranches} tranches checked, ${report.differences.length} different\n`,
  );
  return report.differences.length === 0 ? 0 : 1;
}

class UsageError extends Error {}

/** What to do instead while the service holds the data directory. */
const INSTEAD = {
  'user:create': 'stop it, or invite people with POST /users',
  'token:revoke': 'stop it, or revoke with POST /users/{id}/sessions/revoke',
  'verify-log': 'stop it first',
  'verify-ledger': 'stop it first',
} as const;

type Command = keyof typeof INSTEAD;

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (!Object.hasOwn(INSTEAD, command ?? '')) throw new UsageError(`unknown command ${command ?? '(none)'}`);
  const config = loadConfig();
  // The embedded database admits one process: a user made beside a running service would be lost.
  const unlock = config.DATABASE_URL
    ? null
    : await lockDataDir(config.dataDir, config.DATA_DIR, INSTEAD[command as Command]);
  const pglite = config.DATABASE_URL ? null : await openEmbedded(config.dataDir);
  const target: DatabaseTarget = pglite
    ? { kind: 'embedded', pglite }
    : { kind: 'server', url: config.DATABASE_URL as string };
  const orm = await openOrm(target, ENTITIES);
  try {
    if (command === 'token:revoke') return await tokenRevoke(orm, args);
    if (command === 'verify-ledger') return await ledger(orm);
    return command === 'user:create' ? await userCreate(orm, args, config.PROGRAMME_NAME) : await verify(orm);
  } finally {
    await orm.close(true);
    await pglite?.close();
    await unlock?.();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) process.stderr.write(`${error.message}\n${USAGE}\n`);
    else if (error instanceof ConfigError || error instanceof DomainError || error instanceof DataDirLocked)
      process.stderr.write(`${error.message}\n`);
    else process.stderr.write(`failed: ${error instanceof Error ? error.message : JSON.stringify(error)}\n`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
