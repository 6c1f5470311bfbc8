import { hasLink, linkFree } from './link-free';

describe('text a mail program could make a link of', () => {
  it.each([
    'Visit https://evil.example/claim',
    'http:/\\evil',
    'mailto:prize',
    'www.evil.example',
    'claim at evil.example',
    'EVIL.COM',
    'Prize@evil.example',
    'пример.рф',
    'A.Nurlanova',
    '10.0.0.1',
  ])('finds a link in %j', (text) => expect(hasLink(text)).toBe(true));

  it.each([
    'Асель Нурланова',
    'A. Nurlanova',
    'Дом культуры, с. Жазы',
    'Youth & women: Zhazy',
    'Группа №3 (2026)',
    'т.е. молодёжь',
    'Ала-Бука',
    'St. Mary 12.5',
  ])('finds none in %j', (text) => expect(hasLink(text)).toBe(false));

  it('drops only text that carries a link', () => {
    expect(linkFree('Aizada')).toBe('Aizada');
    expect(linkFree('Prize at evil.example')).toBeNull();
    expect(linkFree(null)).toBeNull();
  });
});
