import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { MikroORM } from '@mikro-orm/core';
import request from 'supertest';
import { createApp } from '../src/app';
import { loadConfig, type AppConfig } from '../src/config/config';
import { IdentityService } from '../src/identity/identity.service';
import { SetupService } from '../src/identity/setup.service';
import { openFreshDatabase, type FreshDatabase } from './support/fresh-database';

const STRANGER = `gwm_${'a'.repeat(43)}`;

/** The path and query of a setup link, and its token. */
function partsOf(link: string | null): { path: string; token: string } {
  expect(link).toMatch(/^http:\/\/localhost:3000\/setup\?token=gwm_[A-Za-z0-9_-]{43}$/);
  const url = new URL(link as string);
  return { path: `${url.pathname}${url.search}`, token: url.searchParams.get('token') as string };
}

describe('the one-time setup link makes the first manager', () => {
  let db: FreshDatabase;
  let app: NestExpressApplication;
  let config: AppConfig;
  // One log for the file: the request logger of the first app goes on serving the next.
  const dir = mkdtempSync(join(tmpdir(), 'grants-setup-'));
  const http = () => request(app.getHttpServer());

  beforeEach(async () => {
    db = await openFreshDatabase();
    config = loadConfig({
      LOG_LEVEL: 'info',
      LOG_FILE: join(dir, 'service.log'),
      TIMER_POLL_MS: '0',
      MAIL_POLL_MS: '0',
      DATA_DIR: dir,
    });
    app = await createApp(config, db.orm, db.pglite);
  });
  afterEach(async () => {
    await app.close();
    await db.drop();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('over the API: once, in the default programme, signed in at once', async () => {
    const { path, token } = partsOf(await app.get(SetupService).openLink());
    await http().get(`/setup?token=${STRANGER}`).expect(401);
    await http().post('/setup').send({ token: STRANGER, email: 'first@example.test', name: 'First' }).expect(401);
    const bad = await http().post('/setup').send({ token, email: 'not an address', name: 'First' }).expect(400);
    expect(bad.body.error.message).toMatch(/email/);

    const created = await http()
      .post('/setup')
      .send({ token, email: 'First@Example.test', name: 'First manager', locale: 'ru' })
      .expect(201);
    expect(created.body.user).toMatchObject({
      role: 'manager',
      email: 'first@example.test',
      name: 'First manager',
      locale: 'ru',
    });
    expect(created.headers['set-cookie']?.[0]).toMatch(/^grants_session=/);
    const auth = `Bearer ${created.body.token}`;
    const me = await http().get('/me').set('authorization', auth).expect(200);
    expect(me.body).toMatchObject({ role: 'manager', email: 'first@example.test' });
    const [programme] = await db.orm.em
      .fork()
      .getConnection()
      .execute<{ name: string }[]>(
        'select p.name from programme p join app_user u on u.programme_id = p.id where u.id = ?',
        [me.body.id],
      );
    expect(programme.name).toBe(config.PROGRAMME_NAME);
    // The manager invites everyone else.
    await http()
      .post('/users')
      .set('authorization', auth)
      .send({ email: 'finance@example.test', name: 'Finance', role: 'finance' })
      .expect(201);

    // Spent: the link, the page and a new link all refuse now.
    await http().post('/setup').send({ token, email: 'second@example.test', name: 'Second' }).expect(401);
    await http().get(path).expect(401);
    expect(await app.get(SetupService).openLink()).toBeNull();
  });

  it('from its page in a browser, refused on every process once a manager exists, and never logged', async () => {
    // Another process on the same database printed its own link.
    const other = new SetupService(app.get(MikroORM), config, app.get(IdentityService));
    const theirs = partsOf(await other.openLink());
    const { path, token } = partsOf(await app.get(SetupService).openLink());

    const page = await http().get(path).expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.text).toContain('<form method="post" action="/setup">');
    expect(page.text).toContain('<label for="email">Email</label>');
    expect(page.text).toContain('<label for="name">Name</label>');
    expect(page.text).toContain('<html lang="en">');
    const hidden = /name="token" value="([^"]+)"/.exec(page.text)?.[1];
    expect(hidden).toBe(token);
    // In the browser's language, with that language chosen for the manager's emails.
    const inKyrgyz = await http().get(path).set('accept-language', 'ky-KG,ru;q=0.8').expect(200);
    expect(inKyrgyz.text).toContain('<html lang="ky">');
    expect(inKyrgyz.text).toContain('<label for="email">Электрондук почта</label>');
    expect(inKyrgyz.text).toContain('<option value="ky" selected>Кыргызча</option>');
    const inRussian = await http().get(path).set('accept-language', 'ru-RU').expect(200);
    expect(inRussian.text).toContain(
      '<button type="submit" style="font-size:20px;padding:12px 28px">Создать и войти</button>',
    );

    const form = await http()
      .post('/setup')
      .type('form')
      .set('origin', 'http://localhost:3000')
      .send({ token: hidden, email: 'chair@example.test', name: 'Programme manager', locale: 'ky' })
      .expect(303);
    expect(form.headers.location).toBe('/home');
    const cookie = form.headers['set-cookie'] as unknown as string[];
    const me = await http().get('/me').set('Cookie', cookie).expect(200);
    expect(me.body).toMatchObject({ role: 'manager', locale: 'ky' });

    await expect(
      other.createFirstManager(theirs.token, { email: 'late@example.test', name: 'Late' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    // ...and that refusal spent their link too.
    await expect(other.check(theirs.token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(
      await db.orm.em.fork().getConnection().execute('select 1 from app_user where role = ?', ['manager']),
    ).toHaveLength(1);

    const log = readFileSync(join(dir, 'service.log'), 'utf8');
    expect(log).toContain('/setup');
    expect(log).not.toContain(token);
    expect(log).not.toContain(token.slice(4));
  });
});
