import type { ApplicationState } from '../../workflows/application.machine';
import type { Locale } from '../../workflows/localised';

// What an applicant reads on their status page: a plain name for each state of their application
// and what happens next, in each language. `{closesAt}` is replaced by the call's closing date.

export interface StatusWords {
  /** The state in plain words. */
  name: string;
  /** What happens next, and what the group has to do, if anything. */
  next: string;
}

export const STATUS_WORDS: Record<ApplicationState, Record<Locale, StatusWords>> = {
  draft: {
    en: { name: 'draft', next: 'Finish your application and send it before {closesAt}.' },
    ru: { name: 'черновик', next: 'Заполните заявку и отправьте её до {closesAt}.' },
    ky: { name: 'долбоор', next: 'Арызды толтуруп, {closesAt} чейин жөнөтүңүз.' },
  },
  submitted: {
    en: {
      name: 'received',
      next: 'We are checking that your application meets the rules of the call. You do not need to do anything.',
    },
    ru: {
      name: 'получена',
      next: 'Мы проверяем, соответствует ли заявка условиям конкурса. Вам ничего делать не нужно.',
    },
    ky: {
      name: 'кабыл алынды',
      next: 'Арызыңыз конкурстун шарттарына туура келерин текшерип жатабыз. Сизден эч нерсе талап кылынбайт.',
    },
  },
  more_info: {
    en: {
      name: 'needs your answer',
      next: 'Answer our questions and send the application again. Until then it waits.',
    },
    ru: { name: 'нужен ваш ответ', next: 'Ответьте на наши вопросы и отправьте заявку снова. До этого она ждёт.' },
    ky: {
      name: 'жообуңуз керек',
      next: 'Суроолорубузга жооп берип, арызды кайра жөнөтүңүз. Ага чейин арыз күтүп турат.',
    },
  },
  eligible: {
    en: {
      name: 'meets the rules',
      next: 'After the call closes, the grant committee will score it. You do not need to do anything.',
    },
    ru: {
      name: 'соответствует условиям',
      next: 'После закрытия конкурса заявку оценит грантовая комиссия. Вам ничего делать не нужно.',
    },
    ky: {
      name: 'шарттарга туура келет',
      next: 'Конкурс жабылгандан кийин арызды гранттык комиссия баалайт. Сизден эч нерсе талап кылынбайт.',
    },
  },
  ineligible: {
    en: {
      name: 'does not meet the rules',
      next: 'This application cannot go further in this call. You are welcome to apply in future calls.',
    },
    ru: {
      name: 'не соответствует условиям',
      next: 'В этом конкурсе заявка дальше не рассматривается. Вы можете подать заявку в следующих конкурсах.',
    },
    ky: {
      name: 'шарттарга туура келбейт',
      next: 'Бул конкурста арыз мындан ары каралбайт. Кийинки конкурстарга катыша аласыз.',
    },
  },
  in_review: {
    en: {
      name: 'with the committee',
      next: 'The grant committee is scoring the application. We will write to you when it decides.',
    },
    ru: { name: 'у комиссии', next: 'Грантовая комиссия оценивает заявку. Мы напишем вам, когда она примет решение.' },
    ky: { name: 'комиссияда', next: 'Гранттык комиссия арызды баалап жатат. Чечим чыкканда сизге жазабыз.' },
  },
  reviewed: {
    en: {
      name: 'scored by the committee',
      next: 'The committee has scored the application. The programme now decides which projects are funded; we will write to you then.',
    },
    ru: {
      name: 'оценена комиссией',
      next: 'Комиссия оценила заявку. Теперь программа решает, какие проекты получат грант; мы напишем вам о решении.',
    },
    ky: {
      name: 'комиссия баалады',
      next: 'Комиссия арызды баалап бүттү. Эми программа кайсы долбоорлор грант аларын чечет; чечим тууралуу сизге жазабыз.',
    },
  },
  awarded: {
    en: { name: 'funded', next: 'Accept the grant to confirm that your group will carry out the project.' },
    ru: { name: 'грант присуждён', next: 'Примите грант, чтобы подтвердить, что ваша группа выполнит проект.' },
    ky: { name: 'грант берилди', next: 'Тобуңуз долбоорду аткарарын ырастоо үчүн грантты кабыл алыңыз.' },
  },
  waitlisted: {
    en: {
      name: 'on the waiting list',
      next: 'The project may still be funded if money becomes free. We will write to you either way.',
    },
    ru: {
      name: 'в листе ожидания',
      next: 'Проект ещё может получить грант, если освободятся средства. Мы напишем вам в любом случае.',
    },
    ky: {
      name: 'күтүү тизмесинде',
      next: 'Каражат бошосо, долбоор дагы эле грант алышы мүмкүн. Кандай болбосун, сизге жазабыз.',
    },
  },
  rejected: {
    en: { name: 'not funded', next: 'The project was not funded this time. You are welcome to apply again.' },
    ru: { name: 'не поддержан', next: 'В этот раз проект не получил грант. Вы можете подать заявку снова.' },
    ky: { name: 'колдоого алынган жок', next: 'Бул жолу долбоор грант алган жок. Кайра арыз бере аласыз.' },
  },
  declined: {
    en: { name: 'award declined', next: 'Your group declined the grant. Nothing more is needed.' },
    ru: { name: 'от гранта отказались', next: 'Ваша группа отказалась от гранта. Больше ничего делать не нужно.' },
    ky: { name: 'гранттан баш тартылды', next: 'Тобуңуз гранттан баш тартты. Мындан ары эч нерсе талап кылынбайт.' },
  },
  active: {
    en: {
      name: 'project under way',
      next: 'Carry out the project, keep receipts and count participants for your report.',
    },
    ru: { name: 'проект выполняется', next: 'Выполняйте проект, сохраняйте чеки и считайте участников для отчёта.' },
    ky: {
      name: 'долбоор аткарылууда',
      next: 'Долбоорду аткарыңыз, чектерди сактаңыз жана отчёт үчүн катышуучуларды эсептеңиз.',
    },
  },
  reporting: {
    en: { name: 'final report due', next: 'Send the final report: activities, participants and spending.' },
    ru: { name: 'нужен итоговый отчёт', next: 'Отправьте итоговый отчёт: мероприятия, участники и расходы.' },
    ky: {
      name: 'жыйынтыктоочу отчёт керек',
      next: 'Жыйынтыктоочу отчётту жөнөтүңүз: иш-чаралар, катышуучулар жана чыгымдар.',
    },
  },
  closed: {
    en: { name: 'completed', next: 'The grant is closed. Thank you for your work for the community.' },
    ru: { name: 'завершён', next: 'Грант закрыт. Спасибо за вашу работу для общины.' },
    ky: { name: 'аяктады', next: 'Грант жабылды. Жамаат үчүн жасаган эмгегиңизге рахмат.' },
  },
  terminated: {
    en: {
      name: 'grant ended early',
      next: 'The grant was ended early. Contact the programme about money already paid.',
    },
    ru: {
      name: 'грант прекращён досрочно',
      next: 'Грант прекращён досрочно. Свяжитесь с программой по поводу уже выплаченных средств.',
    },
    ky: {
      name: 'грант мөөнөтүнөн мурда токтотулду',
      next: 'Грант мөөнөтүнөн мурда токтотулду. Төлөнгөн каражат боюнча программага кайрылыңыз.',
    },
  },
  withdrawn: {
    en: { name: 'withdrawn', next: 'Your group withdrew the application. It will not be considered.' },
    ru: { name: 'отозвана', next: 'Ваша группа отозвала заявку. Она не будет рассматриваться.' },
    ky: { name: 'кайтарып алынды', next: 'Тобуңуз арызды кайтарып алды. Ал каралбайт.' },
  },
  cancelled: {
    en: { name: 'call cancelled', next: 'The programme cancelled the call, so the application cannot go further.' },
    ru: { name: 'конкурс отменён', next: 'Программа отменила конкурс, поэтому заявка дальше не рассматривается.' },
    ky: {
      name: 'конкурс жокко чыгарылды',
      next: 'Программа конкурсту жокко чыгарды, ошондуктан арыз мындан ары каралбайт.',
    },
  },
};
