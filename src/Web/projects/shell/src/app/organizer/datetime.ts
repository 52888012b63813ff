/** A Date as a datetime-local input's value (the browser's local time, minutes precision). */
export function toLocalInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A datetime-local value (local time, no zone) as the ISO instant the API expects, or null when empty or unreadable. */
export function fromLocalInput(value: string): string | null {
  if (!value) return null;
  const date = new Date(value); // "YYYY-MM-DDTHH:mm" without a zone is read as local time
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
