import { describe, expect, it } from 'vitest';
import { validateQuestion } from '../src/search/validate-question.js';

describe('validateQuestion', () => {
  it('takes tabs and line breaks as spaces, NEL (U+0085) among them', () => {
    expect(validateQuestion('who\tattended\r\nthe\u0085briefing?')).toEqual({ ok: true, question: 'who attended the briefing?' });
  });

  it('finds a question of line breaks alone empty, NEL alone included', () => {
    for (const blank of ['\u0085', ' \u0085 \n', '\r\n\u2028']) {
      const checked = validateQuestion(blank);
      expect(checked.ok, JSON.stringify(blank)).toBe(false);
      expect(!checked.ok && checked.error).toMatch(/^The question is empty/);
    }
  });

  it('refuses C0 and C1 control characters, such as the terminal CSI U+009B', () => {
    for (const code of [0x00, 0x1b, 0x7f, 0x80, 0x84, 0x86, 0x9b, 0x9f]) {
      const checked = validateQuestion(`who attended${String.fromCharCode(code)}[2J the briefing?`);
      expect(checked.ok, code.toString(16)).toBe(false);
      expect(!checked.ok && checked.error).toMatch(/control characters/);
    }
  });

  it('keeps letters just past the C1 block', () => {
    expect(validateQuestion('¿Qué dijo Zelensky? ©')).toEqual({ ok: true, question: '¿Qué dijo Zelensky? ©' });
  });
});
