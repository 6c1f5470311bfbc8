import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';

// Names an applicant gives (their own, a member's, their group's) go into emails to addresses they
// choose. Mail programs turn anything that looks like an address into a link, escaped or not, so
// such a name could carry a phishing link in the programme's own email: it is refused instead.

const LINK_LIKE = [
  // a scheme: https://, http:/\, mailto:, javascript:
  /[a-z][a-z0-9+.-]*:[/\\]/i,
  /\b(mailto|javascript|data|tel):/i,
  /\bwww\./i,
  // a dotted host name or an email address: evil.example, a@b.org, пример.рф
  /[\p{L}\p{N}-]\.[a-z]{2,}/iu,
  /[\p{L}\p{N}-]\.(рф|бел|укр|қаз|срб|мон|рус|орг|ком|сайт|онлайн)(?![\p{L}])/iu,
  // an IP address
  /\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}/,
];

/** Whether a mail program could turn part of this text into a link. */
export function hasLink(text: string): boolean {
  return LINK_LIKE.some((pattern) => pattern.test(text));
}

/** The text, or null where a mail program could make a link of it: for names stored before this rule. */
export function linkFree(text: string | null | undefined): string | null {
  return text && !hasLink(text) ? text : null;
}

/** A name that holds no web or email address (see hasLink); a page's form gives its own message. */
export function IsLinkFree(options?: ValidationOptions) {
  return (target: object, property: string | symbol) =>
    registerDecorator({
      name: 'isLinkFree',
      target: target.constructor,
      propertyName: String(property),
      options,
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || !hasLink(value),
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property} must not contain a web or email address (after a dot, leave a space: "A. Nurlanova")`,
      },
    });
}
