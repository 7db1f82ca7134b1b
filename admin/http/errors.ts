import { BadRequestException, HttpException, HttpStatus } from '@nestjs/common';
import type { z } from 'zod';

/** 400 with one readable sentence (and a machine code when there is one): bad input is never a 500. */
export function badRequest(message: string, extra: Record<string, unknown> = {}): BadRequestException {
  return new BadRequestException({ statusCode: 400, error: 'Bad Request', message, ...extra });
}

/** 422: the input is well-formed but refused, with every reason. */
export function unprocessable(errors: string[]): HttpException {
  return new HttpException({ statusCode: 422, error: 'Unprocessable Entity', errors }, HttpStatus.UNPROCESSABLE_ENTITY);
}

/** Parses a request body with a zod schema; a refusal names each field and what is wrong with it. */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : 'body'}: ${issue.message}`);
  throw badRequest(problems.join('; '), { problems });
}
