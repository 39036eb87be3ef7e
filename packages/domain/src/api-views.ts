import { z } from 'zod';
import { Org } from './community/schema';

/**
 * Response shapes of the auth and community routes. They live here, not in the routes, because the
 * mini-program parses every response with the same schema the API serialises with.
 */
export const Tokens = z.object({
  tokenType: z.literal('Bearer'),
  accessToken: z.string(),
  expiresIn: z.number(),
  refreshToken: z.string(),
});
export type Tokens = z.infer<typeof Tokens>;

export const Me = z.object({
  account: z.object({
    id: z.string(),
    kind: z.enum(['staff', 'resident', 'admin']),
    displayName: z.string(),
  }),
  person: z.object({ key: z.string(), name: z.string(), community: z.string() }).nullable(),
  roles: z
    .object({
      zones: z.array(z.object({ zone: z.string(), org: Org, leader: z.boolean() })),
      linesLed: z.array(z.string()),
      secretary: z.boolean(),
      leadership: z.boolean(),
      propertyManager: z.boolean(),
    })
    .nullable(),
});
export type Me = z.infer<typeof Me>;

/** What anyone (a resident with a QR code) may know of a community: zones, rosters, categories. */
export const PublicCommunity = z.object({
  key: z.string(),
  name: z.string(),
  zones: z.array(
    z.object({
      key: z.string(),
      name: z.string(),
      buildings: z.array(z.string()),
      note: z.string().nullable(),
      leader: z.object({ key: z.string(), name: z.string() }),
      members: z.array(z.object({ key: z.string(), name: z.string(), org: Org })),
    }),
  ),
  lines: z.array(z.object({ key: z.string(), name: z.string(), leader: z.string() })),
  categories: z.array(
    z.object({ key: z.string(), name: z.string(), line: z.string().nullable(), icon: z.string().nullable() }),
  ),
});
export type PublicCommunity = z.infer<typeof PublicCommunity>;

/** Every error the API answers: a stable code for programs, a Chinese message for people. */
export const ApiErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ path: z.string().optional(), message: z.string() }).passthrough()).optional(),
    requestId: z.string().optional(),
  }),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;
