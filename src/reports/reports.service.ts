import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import type { Actor, Role } from '../../workflows/kit';
import type { ReportInput } from '../../workflows/report.machine';
import { DomainError } from '../common/domain-error';
import { fieldRefused } from '../common/validation';
import { Application } from '../applications/application.entity';
import { WorkflowInstance } from '../engine/engine.entities';
import { WorkflowEngine } from '../engine/engine.service';
import { WorkflowResources } from '../workflow-http/workflow-resource';
import type { CreateReportDto } from './dto/report.dto';
import { Report } from './report.entity';
import type { ReportView } from './report.views';

@Injectable()
export class ReportsService {
  constructor(
    private readonly orm: MikroORM,
    private readonly engine: WorkflowEngine,
    private readonly resources: WorkflowResources,
  ) {}

  async create(applicationId: string, dto: CreateReportDto, actor: Actor): Promise<string> {
    const dueAt = new Date(dto.dueAt);
    const overdueAt = new Date(dto.overdueAt);
    if (overdueAt <= dueAt) throw fieldRefused('overdueAt', 'reports.overdueAfterDue');
    return this.orm.em.fork().transactional(async (em) => {
      const application = await em.findOne(Application, { id: applicationId });
      const parent =
        application && (await em.findOne(WorkflowInstance, { subjectType: 'application', subjectId: applicationId }));
      if (!application || !parent) throw DomainError.notFound('application', applicationId);
      const input: ReportInput = {
        applicationId,
        kind: dto.kind,
        dueAt: dueAt.toISOString(),
        overdueAt: overdueAt.toISOString(),
      };
      const report = em.create(Report, { applicationId, kind: dto.kind, dueAt, overdueAt });
      this.engine.start(em, {
        machineId: 'report',
        subjectType: 'report',
        subjectId: report.id,
        parentId: parent.id,
        input: { ...input },
        actor,
      });
      return report.id;
    });
  }

  /** The application's reports, oldest first. */
  async list(applicationId: string, role: Role | null): Promise<ReportView[]> {
    const rows = await this.orm.em
      .fork()
      .find(Report, { applicationId }, { fields: ['id'], orderBy: { createdAt: 'asc', id: 'asc' } });
    return Promise.all(rows.map((r) => this.get(r.id, role)));
  }

  async get(id: string, role: Role | null): Promise<ReportView> {
    const em = this.orm.em.fork();
    const report = await em.findOne(Report, { id });
    if (!report) throw DomainError.notFound('report', id);
    const workflow = await this.resources.view(em, 'reports', 'report', id, role);
    return {
      id,
      applicationId: report.applicationId,
      kind: report.kind,
      dueAt: report.dueAt.toISOString(),
      overdueAt: report.overdueAt.toISOString(),
      createdAt: report.createdAt.toISOString(),
      ...workflow,
    };
  }
}
