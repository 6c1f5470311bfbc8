import { rmSync } from 'node:fs';
import { TEMPLATE_ENV } from './support/database';

export default function globalTeardown(): void {
  const template = process.env[TEMPLATE_ENV];
  if (template) rmSync(template, { force: true });
}
