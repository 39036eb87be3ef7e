import { z } from 'zod';

/** What the API returns. The client parses responses with these, so there is one copy of each type. */
export const PersonRef = z.object({ key: z.string(), name: z.string() });
export type PersonRef = z.infer<typeof PersonRef>;
