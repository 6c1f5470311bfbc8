import type { Locale } from '../../workflows/localised';
import { MailWorker } from '../../src/notifications/mail.worker';
import type { Harness, TestUser } from './harness';
import { postForm, signedInAgent, type Agent } from './pages';
import type { SmtpSink } from './smtp';

// The pilot round's people and proposals, and the steps of those who take part in it through the
// pages without a browser: each page fetched, its form posted with the page's own token, as a
// browser without JavaScript does. The browser journey drives the others.

export type Scores = [number, number, number];

/** One of the pilot's eight proposals: where, how much, and the scores its reviewers give it. */
export interface Pilot {
  key: string;
  title: string;
  municipality: string;
  amount: string;
  /** What every reviewer gives it; the disputed one gets a different score from each. */
  scores: Scores | Scores[];
  /** Funded by the manager's decision (the five best by rank fit the budget). */
  funded: boolean;
}

export const PROPOSALS: Pilot[] = [
  {
    key: 'zhazyWater',
    title: 'Жазы мектебине таза суу',
    municipality: 'Zhazy',
    amount: '2400.00',
    scores: [5, 5, 4],
    funded: true,
  },
  {
    key: 'zhazyPlayground',
    title: 'Playground beside the Zhazy school',
    municipality: 'Zhazy',
    amount: '2500.00',
    scores: [3, 3, 2],
    funded: false,
  },
  {
    key: 'yuryevkaLibrary',
    title: 'Библиотека для Юрьевки',
    municipality: 'Yuryevka',
    amount: '2300.00',
    scores: [5, 4, 4],
    funded: true,
  },
  {
    key: 'yuryevkaRoad',
    title: 'Gravel for the Yuryevka school road',
    municipality: 'Yuryevka',
    amount: '2500.00',
    scores: [
      [5, 5, 5],
      [1, 1, 1],
      [3, 3, 3],
    ],
    funded: false,
  },
  {
    key: 'gulistanSports',
    title: 'Гүлистан жаштары үчүн спорт аянтча',
    municipality: 'Gulistan',
    amount: '2450.00',
    scores: [4, 4, 5],
    funded: true,
  },
  {
    key: 'gulistanSewing',
    title: 'Sewing workshop for Gulistan women',
    municipality: 'Gulistan',
    amount: '2200.00',
    scores: [4, 3, 4],
    funded: true,
  },
  {
    key: 'alexLights',
    title: 'Street lights on Lenin street',
    municipality: 'Alexandrovsky',
    amount: '2350.00',
    scores: [4, 4, 4],
    funded: true,
  },
  {
    key: 'alexPark',
    title: 'A park by the Alexandrovsky club',
    municipality: 'Alexandrovsky',
    amount: '2500.00',
    scores: [2, 2, 3],
    funded: false,
  },
];

/** The proposal whose reviewers disagree: the ranking flags it. */
export const DISPUTED = 'yuryevkaRoad';
/** The proposal a committee member declares a conflict of interest on. */
export const CONFLICTED = 'gulistanSports';

/** What the `nth` reviewer of a proposal gives it. */
export function scoresFor(p: Pilot, nth: number): Scores {
  return Array.isArray(p.scores[0]) ? (p.scores as Scores[])[nth % 3] : (p.scores as Scores);
}

/** The recommendation that goes with a review's first score. */
export function recommendationFor(scores: Scores): 'fund' | 'fund_with_changes' | 'do_not_fund' {
  return scores[0] >= 4 ? 'fund' : scores[0] >= 3 ? 'fund_with_changes' : 'do_not_fund';
}

/** The pilot's proposal with that title. */
export function pilotTitled(title: string): Pilot {
  const found = PROPOSALS.find((p) => p.title === title);
  if (!found) throw new Error(`no pilot proposal is called ${title}`);
  return found;
}

/** The messages the SMTP sink received for `who`, by their message keys, after the outbox is sent. */
export async function messagesTo(h: Harness, smtp: SmtpSink, who: TestUser): Promise<string[]> {
  await h.app.get(MailWorker).drain();
  return smtp.to(who.email).map((r) => r.mail.headers.get('x-grants-message') as string);
}

/** Someone using the pages over HTTP: their agent signed in by the emailed link, and their forms. */
export class PagesVisitor {
  private constructor(
    readonly user: TestUser,
    readonly locale: Locale,
    private readonly agent: Agent,
    private readonly origin: string,
  ) {}

  static async signIn(
    h: Harness,
    smtp: SmtpSink,
    origin: string,
    user: TestUser,
    locale: Locale,
  ): Promise<PagesVisitor> {
    return new PagesVisitor(user, locale, await signedInAgent(h, smtp, user.email, origin), origin);
  }

  /** A page's HTML, expecting `status`. */
  async read(path: string, status = 200): Promise<string> {
    return (await this.agent.get(path).expect(status)).text;
  }

  /** Posts the form at `path` with the token of the page `from`; returns where it redirected to (303). */
  async post(path: string, fields: Record<string, string>, from = path): Promise<string> {
    const page = await this.read(from);
    const res = await postForm(this.agent, this.origin, path, page, fields).expect(303);
    return res.headers.location as string;
  }

  /** Applies for the call with the pilot proposal through the task pages, submits it and returns its id. */
  async apply(callId: string, p: Pilot): Promise<string> {
    const started = await this.post(`/open-calls/${callId}/apply`, { title: p.title }, `/open-calls/${callId}`);
    const id = /\/my-applications\/([0-9a-f-]{36})\/tasks$/.exec(started)?.[1];
    if (!id) throw new Error(`the application was not started: ${started}`);
    const base = `/my-applications/${id}`;
    const task = async (name: string, fields: Record<string, string>) =>
      expect(await this.post(`${base}/tasks/${name}`, fields)).toBe(`${base}/tasks`);
    await task('about', {
      title: p.title,
      summary: `${p.title}: the group and the aiyl okmotu carry it out together.`,
      municipality: p.municipality,
    });
    await task('problem', { problem: 'Nothing of the kind exists in the village, and families ask for it.' });
    await task('activities', {
      'activities-0-description': 'Buy the materials and build it with the parents',
      'activities-0-start-day': '1',
      'activities-0-start-month': '3',
      'activities-0-start-year': '2027',
      'activities-0-end-day': '30',
      'activities-0-end-month': '6',
      'activities-0-end-year': '2027',
    });
    await task('participants', { women: '40', men: '25', youth: '120', 'by-local_government': '2' });
    await task('composition', { 'composition-local_government': '1', 'composition-civil_society': '4' });
    await task('budget', {
      'budget-0-category': 'Materials',
      'budget-0-description': 'Everything the project buys',
      'budget-0-quantity': '1',
      'budget-0-unitCost': p.amount,
    });
    await task('eligibility', { 'answer-q1': 'yes' });
    expect(await this.post(`${base}/submit`, {}, `${base}/check`)).toBe(`${base}?done=submitted`);
    return id;
  }

  /** Declares on every application of the call's board: a conflict, with its reason, on those in `conflicts`. */
  async declare(callId: string, applicationIds: string[], conflicts: Map<string, string> = new Map()): Promise<void> {
    const fields: Record<string, string> = {};
    for (const id of applicationIds) {
      const reason = conflicts.get(id);
      fields[`conflict-${id}`] = reason ? 'yes' : 'no';
      fields[`reason-${id}`] = reason ?? '';
    }
    expect(await this.post(`/review/calls/${callId}/conflicts`, fields, `/review/calls/${callId}`)).toBe(
      `/review/calls/${callId}?done=declared`,
    );
  }

  /** The member's reviews as their board lists them: each review's id and the application's title. */
  async reviews(callId: string): Promise<{ reviewId: string; title: string }[]> {
    const board = await this.read(`/review/calls/${callId}`);
    return [...board.matchAll(/href="\/review\/reviews\/([0-9a-f-]{36})">[^<]*? · ([^<]+)<\/a>/g)].map((m) => ({
      reviewId: m[1],
      title: unescapeHtml(m[2]),
    }));
  }

  /** Scores a review on its form and submits it. */
  async score(reviewId: string, scores: Scores, overallComment: string): Promise<void> {
    const fields: Record<string, string> = {
      overallComment,
      recommendation: recommendationFor(scores),
      action: 'submit',
    };
    scores.forEach((s, i) => {
      fields[`score-${i}`] = String(s);
      fields[`comment-${i}`] = '';
    });
    expect(await this.post(`/review/reviews/${reviewId}`, fields)).toBe(`/review/reviews/${reviewId}?done=submitted`);
  }
}

function unescapeHtml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
