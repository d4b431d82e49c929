import { performance } from 'node:perf_hooks';
import { validateQuestion } from '../search/validate-question.js';
import { runtimeOf, type CommandContext } from './context.js';
import { describeError } from './errors.js';
import { formatAnswer, type MessageParts } from './format-answer.js';
import { rateLimitMessage } from './rate-limit.js';

export type QuestionCheck = { ok: true; question: string } | { ok: false; message: string };

/**
 * Checks a question before any work: empty or over 1,000 characters is refused, then the user's rate
 * limit is taken (refused questions do not use it up). The message is what to tell the user.
 */
export function checkQuestion(ctx: CommandContext, raw: unknown, userId: string): QuestionCheck {
  const valid = validateQuestion(raw);
  if (!valid.ok) return { ok: false, message: valid.error };
  const runtime = runtimeOf(ctx);
  const slot = runtime.limiter.take(userId);
  if (!slot.ok) return { ok: false, message: rateLimitMessage(slot.retryAfterMs, runtime.limiter) };
  return { ok: true, question: valid.question };
}

export interface AskRequest {
  question: string;
  k?: number;
  userId: string;
  guildId: string | null;
  channelId: string | null;
  via: 'slash' | 'mention';
}

/** Asks the library, logs the question (the id goes on the feedback buttons) and formats the reply. */
export async function answerQuestion(ctx: CommandContext, request: AskRequest): Promise<MessageParts> {
  const started = performance.now();
  const answer = await ctx.library().ask(request.question, request.k === undefined ? {} : { k: request.k });
  const latencyMs = Math.round(performance.now() - started);
  let questionId: number | null = null;
  try {
    questionId = await ctx.questionLog.logQuestion({
      guildId: request.guildId,
      channelId: request.channelId,
      userId: request.userId,
      question: request.question,
      answered: answer.answered,
      refs: answer.results.map((hit) => hit.citation.ref),
      scores: answer.results.map((hit) => hit.score),
      latencyMs,
      askedAt: new Date(),
    });
  } catch (error) {
    ctx.log.warn('could not log the question', describeError(error));
  }
  ctx.log.info('question answered', {
    via: request.via,
    user: request.userId,
    guild: request.guildId,
    chars: request.question.length,
    answered: answer.answered,
    hits: answer.results.length,
    ms: latencyMs,
  });
  return formatAnswer(answer, { questionId });
}
