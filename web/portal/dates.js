// Ranges of UTC days, as the server counts them ([from, to) with to the day after the last).
export const utcDay = (date) => date.toISOString().slice(0, 10);

/** The last `days` days, today (by the server's clock: `me.now`) included. */
export function lastDays(days, now = new Date()) {
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
  const from = new Date(to.getTime() - days * 86400000);
  return { from: utcDay(from), to: utcDay(to) };
}
