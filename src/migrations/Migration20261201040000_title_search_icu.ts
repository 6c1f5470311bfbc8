import { Migration } from '@mikro-orm/migrations';

/**
 * Title search folds case with ICU's root collation, whatever locale the database was made with
 * (one made with the C locale folds only ASCII, so Cyrillic titles would match only as typed).
 */
export class Migration20261201040000_title_search_icu extends Migration {
  override up(): void {
    this.addSql('drop index if exists application_title_trgm_index');
    this.addSql(
      `create index application_title_trgm_index on application using gin ((title collate "und-x-icu") gin_trgm_ops)`,
    );
  }
}
