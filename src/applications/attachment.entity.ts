import { OptionalProps } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { AttachmentView } from './application.views';

/** A file an application carries: its bytes are in the file store under `storageKey`, never under its name. */
@Entity({ tableName: 'attachment' })
export class Attachment {
  [OptionalProps]?: 'id' | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  applicationId!: string;

  /** The uploaded name, sanitised: shown and offered on download, never used as a path. */
  @Property({ type: 'text' })
  name!: string;

  /** Decided from the name and the content together, not taken from the upload. */
  @Property({ type: 'text' })
  contentType!: string;

  @Property({ type: 'integer' })
  sizeBytes!: number;

  @Property({ type: 'text' })
  sha256!: string;

  @Property({ type: 'text', unique: true })
  storageKey!: string;

  @Property({ type: 'uuid' })
  uploadedBy!: string;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}

export function attachmentView(a: Attachment): AttachmentView {
  return {
    id: a.id,
    name: a.name,
    contentType: a.contentType,
    size: a.sizeBytes,
    sha256: a.sha256,
    uploadedAt: a.createdAt.toISOString(),
    download: `/applications/${a.applicationId}/attachments/${a.id}`,
  };
}
