import { WORKFLOWS, workflowById } from './index';
import { eventTypesOf } from './testing';
import { leafStates, stateChangingEdges } from './inspect';
import { MESSAGES, RECIPIENTS, messagesFor, messageTemplates } from './messages';

describe('the message table', () => {
  it('has one entry per key, each naming a real machine, state and event', () => {
    expect(new Set(MESSAGES.map((m) => m.key)).size).toBe(MESSAGES.length);
    for (const message of MESSAGES) {
      const workflow = workflowById(message.machine);
      expect(workflow).toBeDefined();
      const machine = workflow!.machine;
      expect(message.key.startsWith(`${message.machine}.`)).toBe(true);
      expect(message.on.event ?? message.on.to).toBeDefined();
      if (message.on.to) expect(leafStates(machine)).toContain(message.on.to);
      if (message.on.event) expect([...eventTypesOf(machine), 'START']).toContain(message.on.event);
      expect(Object.keys(RECIPIENTS)).toContain(message.recipients);
      expect(message.template).toMatch(/^[a-z]+\.[a-z_]+$/);
    }
  });

  // Every change of state of an application is something its group can see and must hear about.
  it.each(stateChangingEdges(workflowById('application')!.machine))(
    'application $from + $event -> $to tells the applicant group',
    (edge) => {
      const sent = messagesFor('application', { event: edge.event, from: edge.from, to: edge.to });
      expect(sent.map((m) => m.recipients)).toEqual(['applicant_group']);
    },
  );

  it('matches a target state only when the transition enters it', () => {
    expect(messagesFor('application', { event: 'UPDATE_DRAFT', from: 'more_info', to: 'more_info' })).toEqual([]);
    expect(
      messagesFor('application', { event: 'REQUEST_INFO', from: 'submitted', to: 'more_info' }).map((m) => m.key),
    ).toEqual(['application.more_info_requested']);
  });

  it('tells a submission from a resubmission by the event', () => {
    expect(messagesFor('application', { event: 'SUBMIT', from: 'draft', to: 'submitted' }).map((m) => m.key)).toEqual([
      'application.submitted',
    ]);
    expect(
      messagesFor('application', { event: 'RESUBMIT', from: 'more_info', to: 'submitted' }).map((m) => m.key),
    ).toEqual(['application.answers_received']);
  });

  it('sends nothing when an instance is created, but a review: its reviewer is told of it', () => {
    for (const workflow of WORKFLOWS) {
      const initial = String(workflow.machine.config.initial);
      const sent = messagesFor(workflow.id, { event: 'START', from: null, to: initial }).map((m) => m.key);
      expect(sent).toEqual(workflow.id === 'review' ? ['review.assigned'] : []);
    }
  });

  it('tells staff of the work waiting for them', () => {
    const recipientsOf = (machine: string, event: string, from: string, to: string) =>
      messagesFor(machine, { event, from, to }).map((m) => m.recipients);
    expect(recipientsOf('call', 'START_REVIEW', 'closed', 'reviewing')).toEqual(['call_committee']);
    expect(recipientsOf('disbursement', 'REQUEST', 'scheduled', 'requested')).toEqual(['finance_officers']);
    expect(recipientsOf('disbursement', 'APPROVE', 'requested', 'partly_approved')).toEqual(['finance_officers']);
    expect(recipientsOf('report', 'SUBMIT', 'due', 'submitted')).toEqual(['programme_managers']);
  });

  it('lists each template once', () => {
    const templates = messageTemplates();
    expect(new Set(templates).size).toBe(templates.length);
    expect(templates).toContain('disbursement.approval_requested');
    expect(templates.length).toBe(MESSAGES.length - 1);
  });
});

describe('a change of bank details once the grant runs', () => {
  it('tells the whole group and every finance officer of the programme', () => {
    const sent = messagesFor('application', { event: 'CHANGE_BANK_DETAILS', from: 'active', to: 'active' });
    expect(sent.map((m) => [m.key, m.recipients])).toEqual([
      ['application.bank_details_changed', 'applicant_group'],
      ['application.bank_details_changed_finance', 'programme_finance'],
    ]);
  });
});
