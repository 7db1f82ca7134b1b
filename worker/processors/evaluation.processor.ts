import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject } from '@nestjs/common';
import type { Job } from 'bullmq';
import { ReevaluationService } from '../../core/credits/reevaluation.service';
import type { Logger } from '../../infra/logger';
import { LOGGER } from '../../infra/nest/tokens';
import { QUEUE, type EvaluationJob } from '../../infra/queues/queues';

/** Re-evaluates a person after a change; threshold crossings become notifications (R-RULES). */
@Processor(QUEUE.evaluation, { concurrency: 4 })
export class EvaluationProcessor extends WorkerHost {
  constructor(
    private readonly reevaluation: ReevaluationService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    super();
  }

  async process(job: Job<EvaluationJob>): Promise<{ crossed: string[] } | null> {
    const result = await this.reevaluation.reevaluate(job.data.personId);
    if (!result) return null;
    const crossed = result.crossed.map((c) => c.kind);
    if (crossed.length > 0) this.logger.info({ person_id: job.data.personId, crossed, reason: job.data.reason }, 'thresholds crossed');
    return { crossed };
  }
}
