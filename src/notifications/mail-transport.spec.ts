import { senderDomain, SmtpTransport } from './mail-transport';

describe('mail transport', () => {
  it('describes an SMTP server without its credentials', () => {
    const transport = new SmtpTransport('smtp://grants:s3cret-pass@mail.example.org:2525');
    try {
      expect(transport.description).toBe('SMTP smtp://mail.example.org:2525');
      expect(transport.description).not.toContain('s3cret');
    } finally {
      transport.close();
    }
  });

  it('takes the Message-ID domain from the sender address', () => {
    expect(senderDomain('Community Mini-Grants <grants@programme.example>')).toBe('programme.example');
    expect(senderDomain('grants@fund.kg')).toBe('fund.kg');
    expect(senderDomain('no address')).toBe('localhost');
  });
});
