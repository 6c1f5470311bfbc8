// The money and date helpers of every reader-facing text (emails, refusals, pages) live with the catalogue.
export { formatDate, formatDay, formatMoney, type Money } from '../i18n/format';
