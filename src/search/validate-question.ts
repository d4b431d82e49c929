export const MAX_QUESTION_CHARS = 1000;

/** Checks a question before it reaches the engine; the error is a sentence to show the user. */
export function validateQuestion(raw: unknown): { ok: true; question: string } | { ok: false; error: string } {
  if (typeof raw !== 'string') return { ok: false, error: 'The question must be text.' };
  // Tabs and line breaks (NEL, U+0085, among them) are ordinary in pasted questions; other control
  // characters are not, C1 ones included: U+009B is a terminal's CSI, and would be echoed.
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f]/.test(raw)) {
    return { ok: false, error: 'The question contains control characters; please retype it as plain text.' };
  }
  const question = raw.replace(/[\s\u0085]+/g, ' ').trim();
  if (question === '') return { ok: false, error: 'The question is empty: ask something, e.g. "who attended the briefing?"' };
  if (question.length > MAX_QUESTION_CHARS) {
    return {
      ok: false,
      error: `The question is ${question.length} characters long; the limit is ${MAX_QUESTION_CHARS}. Please shorten it.`,
    };
  }
  return { ok: true, question };
}
