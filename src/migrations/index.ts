import { Migration20261123000000_foundation } from './Migration20261123000000_foundation';
import { Migration20261123010000_chain_head } from './Migration20261123010000_chain_head';
import { Migration20261124000000_notifications } from './Migration20261124000000_notifications';
import { Migration20261124010000_organisations } from './Migration20261124010000_organisations';
import { Migration20261125000000_calls_applications } from './Migration20261125000000_calls_applications';
import { Migration20261126000000_review } from './Migration20261126000000_review';
import { Migration20261201000000_tranche_threshold } from './Migration20261201000000_tranche_threshold';
import { Migration20261201010000_mail_queue } from './Migration20261201010000_mail_queue';
import { Migration20261201030000_group_invitations } from './Migration20261201030000_group_invitations';
import { Migration20261201040000_title_search_icu } from './Migration20261201040000_title_search_icu';
import { Migration20261201050000_payment_plan } from './Migration20261201050000_payment_plan';
import { Migration20261201060000_bank_details } from './Migration20261201060000_bank_details';
import { Migration20261201070000_ledger } from './Migration20261201070000_ledger';

/** Every migration, in order. Listed explicitly so the compiled service and the tests run the same set. */
export const MIGRATIONS = [
  { name: 'Migration20261123000000_foundation', class: Migration20261123000000_foundation },
  { name: 'Migration20261123010000_chain_head', class: Migration20261123010000_chain_head },
  { name: 'Migration20261124000000_notifications', class: Migration20261124000000_notifications },
  { name: 'Migration20261124010000_organisations', class: Migration20261124010000_organisations },
  { name: 'Migration20261125000000_calls_applications', class: Migration20261125000000_calls_applications },
  { name: 'Migration20261126000000_review', class: Migration20261126000000_review },
  { name: 'Migration20261201000000_tranche_threshold', class: Migration20261201000000_tranche_threshold },
  { name: 'Migration20261201010000_mail_queue', class: Migration20261201010000_mail_queue },
  { name: 'Migration20261201030000_group_invitations', class: Migration20261201030000_group_invitations },
  { name: 'Migration20261201040000_title_search_icu', class: Migration20261201040000_title_search_icu },
  { name: 'Migration20261201050000_payment_plan', class: Migration20261201050000_payment_plan },
  { name: 'Migration20261201060000_bank_details', class: Migration20261201060000_bank_details },
  { name: 'Migration20261201070000_ledger', class: Migration20261201070000_ledger },
];
