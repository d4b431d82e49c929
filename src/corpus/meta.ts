/**
 * Normalises a date from front matter or a meta tag to YYYY-MM-DD; undefined when it is not a date.
 * YAML turns `2024-10-30` into a Date at UTC midnight, so Date objects are read in UTC; free-form
 * strings ("October 30, 2024") are parsed as local dates, which is how Date.parse reads them.
 */
export function isoDate(value: unknown): string | undefined {
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? undefined : value.toISOString().slice(0, 10);
  }
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const iso = /^\s*(\d{4})-(\d{2})-(\d{2})(?![\d])/.exec(value);
  if (iso) {
    const [, y, m, d] = iso;
    const check = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
    return check.getUTCMonth() === Number(m) - 1 && check.getUTCDate() === Number(d) ? `${y}-${m}-${d}` : undefined;
  }
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime())) return undefined;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${parsed.getFullYear()}-${pad(parsed.getMonth() + 1)}-${pad(parsed.getDate())}`;
}

/** A non-empty trimmed string, or undefined: front matter values can be numbers, lists or null. */
export function textField(value: unknown): string | undefined {
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
