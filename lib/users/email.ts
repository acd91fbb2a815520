import { z } from 'zod';

/** An account's email: trimmed and lowercased, so one address is one account. */
export const Email = z.string().trim().toLowerCase().pipe(z.email('must be an email address').max(254));
export type Email = z.infer<typeof Email>;
