import request from 'supertest';
import { MailWorker } from '../../src/notifications/mail.worker';
import type { Harness } from './harness';
import type { SmtpSink } from './smtp';

// Using the pages over HTTP as a browser without JavaScript does: forms posted with their
// anti-forgery token, cookies kept by the agent, the session begun by the emailed link.

export type Agent = ReturnType<typeof request.agent>;

/** The value of the hidden anti-forgery field in a page. */
export function csrfOf(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('the page has no form token');
  return token;
}

/** The newest sign-in link's token in the mail to `email`. */
export async function signInToken(h: Harness, smtp: SmtpSink, email: string): Promise<string> {
  await h.app.get(MailWorker).drain();
  const tokens = smtp
    .to(email)
    .map((r) => /\/auth\/sign-in\?token=(gwl_[A-Za-z0-9_-]+)/.exec(r.mail.text ?? '')?.[1])
    .filter((t) => t !== undefined);
  const token = tokens[tokens.length - 1];
  if (!token) throw new Error(`no sign-in link in the mail to ${email}`);
  return token;
}

/** An agent signed in as `email` through the sign-in page and the emailed link; `origin` is the BASE_URL. */
export async function signedInAgent(h: Harness, smtp: SmtpSink, email: string, origin: string): Promise<Agent> {
  const agent = request.agent(h.app.getHttpServer());
  const form = await agent.get('/sign-in').expect(200);
  await agent
    .post('/sign-in')
    .type('form')
    .send({ _csrf: csrfOf(form.text), email })
    .expect(200);
  const token = await signInToken(h, smtp, email);
  await agent.post('/auth/session').set('origin', origin).type('form').send({ token }).expect(303);
  return agent;
}

/** Posts a page's form as the signed-in agent: with the token of the page it is on. */
export function postForm(
  agent: Agent,
  origin: string,
  path: string,
  page: string,
  fields: Record<string, string>,
): ReturnType<Agent['post']> {
  return agent
    .post(path)
    .set('origin', origin)
    .type('form')
    .send({ _csrf: csrfOf(page), ...fields });
}
