import type { Role } from '../../workflows/kit';
import type { Locale } from '../../workflows/localised';

/** The caller of a request, as the auth guard resolves them: what access, features and views read. */
export interface AuthenticatedUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  locale: Locale;
  programmeId: string | null;
}
