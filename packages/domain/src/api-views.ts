import { z } from 'zod';
import { WorkMenuEntry } from './capabilities/work-menu';
import { Org } from './community/schema';
import { KpiScopeOptionView } from './kpi/views';

/**
 * Response shapes of the auth and community routes. They live here, not in the routes, because the
 * mini-program parses every response with the same schema the API serialises with.
 */
export const Tokens = z.object({
  tokenType: z.literal('Bearer'),
  accessToken: z.string(),
  expiresIn: z.number(),
  refreshToken: z.string(),
  /** On a login with a one-time password: the client must open the change-password page. */
  passwordChangeRequired: z.boolean().optional(),
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
      /** A member of the supervisory committee (监督委员会). */
      supervisor: z.boolean(),
    })
    .nullable(),
  /** The password is a one-time password: everything but changing it is refused until it is. */
  passwordChangeRequired: z.boolean(),
  /** Account administration (账号与人员): every account, the caller's community's staff, or none. */
  accountAdmin: z.enum(['all', 'community']).nullable(),
  /** The work desk entries the caller may open (`workMenu`); the page shows exactly these. */
  menu: z.array(WorkMenuEntry),
  /** The KPI scopes of the caller's community they may read (`kpiScopeOptions`), in picker order; empty when none. */
  kpiScopes: z.array(KpiScopeOptionView),
  /** May bind a household to this account and answer evaluations with it (`bindsHome`). */
  bindsHome: z.boolean(),
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
