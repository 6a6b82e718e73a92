// The one `format` the frozen artifact's schema uses (`date-time`, on `createdAt`), checked by
// the precompiled artifact validator without loading a library of every format.

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|([+-])(\d{2})(?::?(\d{2}))?)$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/**
 * An RFC 3339 date-time with its offset (`2025-01-31T12:00:00Z`, `...+01:00`): a real calendar
 * day, hours to 23, minutes to 59, and second 60 only at 23:59 UTC (a leap second).
 */
export function isDateTime(text: string): boolean {
  const m = DATE_TIME.exec(text);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1) return false;
  const monthDays = month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] as number);
  if (day > monthDays) return false;
  const offsetHours = Number(m[8] ?? 0);
  const offsetMinutes = Number(m[9] ?? 0);
  if (offsetHours > 23 || offsetMinutes > 59) return false;
  if (hour <= 23 && minute <= 59 && second <= 59) return true;
  if (second !== 60 || hour > 23 || minute > 59) return false;
  // A leap second is 23:59:60 in UTC: undo the offset and compare.
  const sign = m[7] === '-' ? -1 : 1;
  const utcMinutes =
    (((hour * 60 + minute - sign * (offsetHours * 60 + offsetMinutes)) % 1440) + 1440) % 1440;
  return utcMinutes === 23 * 60 + 59;
}

/** The `formats` object the precompiled artifact validator reads its `date-time` check from. */
export const formats: Readonly<Record<'date-time', { readonly validate: (text: string) => boolean }>> = {
  'date-time': { validate: isDateTime },
};
