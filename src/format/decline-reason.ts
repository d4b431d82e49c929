import type { MissingName } from '../types.js';

const quoted = (names: MissingName[]) => {
  const words = names.map(({ name }) => `“${name}”`);
  return words.length === 1 ? words[0]! : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
};

/**
 * Why a question was declined, when it names something the matching passages leave out: "The
 * library never mentions “Heroku”." or "None of the passages that match the rest of the question
 * mention “Java”." Empty when no name explains it.
 */
export function declineReason(missing: MissingName[]): string {
  const never = missing.filter(({ inLibrary }) => !inLibrary);
  const elsewhere = missing.filter(({ inLibrary }) => inLibrary);
  const parts: string[] = [];
  if (never.length > 0) parts.push(`The library never mentions ${quoted(never)}.`);
  if (elsewhere.length > 0) parts.push(`None of the passages that match the rest of the question mention ${quoted(elsewhere)}.`);
  return parts.join(' ');
}
