import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, LockMode, MikroORM } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../config/config';
import { DomainError, ErrorCode } from '../common/domain-error';
import { fieldRefused } from '../common/validation';
import { WorkflowInstance } from '../engine/engine.entities';
import { FILE_STORE, type FileStore } from '../files/file-store';
import { attachmentKind, sanitiseFileName, sha256Hex } from '../files/attachment-rules';
import { Attachment, attachmentView } from './attachment.entity';
import type { AttachmentView } from './application.views';
import { EDITABLE_STATES, type ApplicationState } from '../../workflows/application.machine';
import type { AuthenticatedUser } from '../common/authenticated-user';

/** What an upload brings: the part of a multipart body named `file`. */
export interface Upload {
  originalname: string;
  buffer: Buffer;
  size: number;
}

/**
 * Files an application carries. The group adds and removes them while it may still edit the
 * proposal; the bytes go to the file store under a random key, the row keeps the sanitised name,
 * the type read from the content and a SHA-256 checksum.
 */
@Injectable()
export class AttachmentsService {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(FILE_STORE) private readonly store: FileStore,
    private readonly orm: MikroORM,
  ) {}

  async add(applicationId: string, upload: Upload | undefined, user: AuthenticatedUser): Promise<AttachmentView> {
    if (!upload) throw fieldRefused('file', 'attachments.multipart');
    const name = sanitiseFileName(upload.originalname ?? '');
    const kind = attachmentKind(name, upload.buffer);
    if ('problem' in kind) throw fieldRefused('file', kind.problem.key, kind.problem.params);
    const key = randomUUID();
    await this.store.put(key, upload.buffer);
    try {
      return await this.orm.em.fork().transactional(async (em) => {
        // A SUBMIT waits for this insert rather than slipping between the check and it.
        await this.lockEditable(em, applicationId);
        const count = await em.count(Attachment, { applicationId });
        if (count >= this.config.ATTACHMENTS_PER_APPLICATION) {
          throw DomainError.because(ErrorCode.Conflict, [
            { key: 'attachments.tooMany', params: { max: this.config.ATTACHMENTS_PER_APPLICATION } },
          ]);
        }
        const attachment = em.create(Attachment, {
          applicationId,
          name,
          contentType: kind.mime,
          sizeBytes: upload.buffer.length,
          sha256: sha256Hex(upload.buffer),
          storageKey: key,
          uploadedBy: user.id,
        });
        return attachmentView(attachment);
      });
    } catch (error) {
      await this.store.remove(key);
      throw error;
    }
  }

  async remove(applicationId: string, attachmentId: string): Promise<void> {
    const key = await this.orm.em.fork().transactional(async (em) => {
      await this.lockEditable(em, applicationId);
      const attachment = await em.findOne(Attachment, { id: attachmentId, applicationId });
      if (!attachment) throw DomainError.notFound('attachment', attachmentId);
      em.remove(attachment);
      return attachment.storageKey;
    });
    await this.store.remove(key);
  }

  async read(applicationId: string, attachmentId: string): Promise<{ attachment: Attachment; data: Buffer }> {
    const attachment = await this.orm.em.fork().findOne(Attachment, { id: attachmentId, applicationId });
    if (!attachment) throw DomainError.notFound('attachment', attachmentId);
    return { attachment, data: await this.store.get(attachment.storageKey) };
  }

  /** Refuses unless the application is still editable, and holds its instance row until the transaction ends. */
  private async lockEditable(em: EntityManager, applicationId: string): Promise<void> {
    const instance = await em.findOne(
      WorkflowInstance,
      { subjectType: 'application', subjectId: applicationId },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!instance) throw DomainError.notFound('application', applicationId);
    if (!EDITABLE_STATES.includes(instance.state as ApplicationState)) {
      const state = { term: `application.state.${instance.state}` };
      throw DomainError.because(ErrorCode.Conflict, [{ key: 'attachments.notEditable', params: { state } }], {
        state: instance.state,
      });
    }
  }
}
