import { z } from 'zod';
import { URGENCY_NAMES } from '../community/names';
import { URGENCIES, type Urgency } from '../community/schema';
import type { Community } from '../community/validate';
import { DESCRIPTION_MAX, type IssueStatus, STATUS_NAMES, TIER_NAMES, type Tier } from '../issues/schema';
import { escapeMarkup } from '../markup';
import { UNPLACED_ZONE, zoneNameOf } from '../routing/triage';

/**
 * Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2): how our categories, states and
 * issues read to district platforms and Open311 clients. Pure shaping; the API serves it.
 *
 * - service_code = the category key; jurisdiction_id = the community key;
 * - service_request_id = the issue's public code (the one residents quote);
 * - never personal data: no reporter name, phone or account; the address stops at the building
 *   (no unit or room: the `spot` is left out), a pin is rounded to 3 decimals (~100 m), the
 *   description has phone and ID numbers masked, and hidden issues (banned reporters) are not listed.
 */

export const GEOREPORT_SPEC = 'http://wiki.open311.org/GeoReport_v2';
export const OPEN311_FORMATS = ['json', 'xml'] as const;
export type Open311Format = (typeof OPEN311_FORMATS)[number];

/** The spec's request states. */
export type GeoStatus = 'open' | 'closed';

/**
 * closed: nothing more will happen (closed, merged, rejected) or the work is done and awaits the
 * resident's confirmation (resolved: 已办结 — reopened if it is not fixed, which makes it open again).
 * Everything else, parked (挂账) included, is open.
 */
export const GEO_STATUS: Record<IssueStatus, GeoStatus> = {
  submitted: 'open',
  dispatched: 'open',
  accepted: 'open',
  in_progress: 'open',
  resolved: 'closed',
  closed: 'closed',
  reopened: 'open',
  escalated: 'open',
  merged: 'closed',
  rejected: 'closed',
  parked: 'open',
};

/** Our states behind each spec state (for the `status` filter). */
export const statusesOf = (geo: GeoStatus): IssueStatus[] =>
  (Object.keys(GEO_STATUS) as IssueStatus[]).filter((s) => GEO_STATUS[s] === geo);

/** status_notes: the public wording of the state (the same words the resident's tracking view uses). */
export function statusNotes(status: IssueStatus): string {
  if (status === 'resolved') return `${STATUS_NAMES.resolved}，待居民确认`;
  if (status === 'merged') return `${STATUS_NAMES.merged}（与同一问题的其他投诉一并处理）`;
  return STATUS_NAMES[status];
}

/** The spec's fields of a service in the service list (GET services). */
export interface GeoService {
  service_code: string;
  service_name: string;
  description: string;
  metadata: boolean;
  type: 'realtime' | 'batch' | 'blackbox';
  keywords: string;
  group: string;
}

/** The group a category is listed under: its specialist line, else the general one. */
export const GENERAL_GROUP = '综合事务';

/** Every category of the community as a service; every one takes the urgency attribute. */
export function toGeoServices(community: Community): GeoService[] {
  return [...community.categories.values()].map((c) => {
    const line = c.line ? community.lines.get(c.line) : undefined;
    const group = line?.name ?? GENERAL_GROUP;
    return {
      service_code: c.key,
      service_name: c.name,
      description: `${community.name}：${c.name}${c.triage ? '（由社区兜底分拨）' : `（${group}负责）`}`,
      metadata: true,
      type: 'realtime',
      keywords: [c.name, group, c.key].join(','),
      group,
    };
  });
}

export interface GeoAttributeValue {
  key: string;
  name: string;
}
export interface GeoAttribute {
  variable: boolean;
  code: string;
  datatype: 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';
  required: boolean;
  datatype_description: string;
  order: number;
  description: string;
  values: GeoAttributeValue[];
}
export interface GeoServiceDefinition {
  service_code: string;
  attributes: GeoAttribute[];
}

/** The one attribute every service takes: how urgent (our complaint form's 紧急程度). */
export const URGENCY_ATTRIBUTE = 'urgency';

export const toGeoServiceDefinition = (serviceCode: string): GeoServiceDefinition => ({
  service_code: serviceCode,
  attributes: [
    {
      variable: true,
      code: URGENCY_ATTRIBUTE,
      datatype: 'singlevaluelist',
      required: false,
      datatype_description: '不填为一般（normal）',
      order: 1,
      description: '紧急程度',
      values: URGENCIES.map((u) => ({ key: u, name: URGENCY_NAMES[u] })),
    },
  ],
});

/** An issue as the GeoReport views read it (the columns; the API loads them). */
export interface GeoIssue {
  code: string;
  status: IssueStatus;
  category: string;
  description: string;
  zone: string;
  building: number | null;
  latitude: number | null;
  longitude: number | null;
  tier: Tier;
  line: string | null;
  createdAt: Date;
  updatedAt: Date;
  resolveDueAt: Date | null;
}

/** The spec's fields of a service request (GET requests, GET requests/<id>). */
export interface GeoRequest {
  service_request_id: string;
  status: GeoStatus;
  status_notes: string;
  service_name: string;
  service_code: string;
  description: string;
  agency_responsible: string;
  service_notice: string | null;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string | null;
  address: string;
  address_id: string | null;
  zipcode: string | null;
  lat: number | null;
  long: number | null;
  media_url: string | null;
}

/** Mainland mobile numbers and resident ID numbers written into a description: masked. */
export function maskPersonalNumbers(text: string): string {
  return text
    .replace(/(?<!\d)(\d{6})\d{8}(\d{3}[\dXx])(?!\d)/g, '$1********$2')
    .replace(/(?<!\d)(1\d{2})\d{4}(\d{4})(?!\d)/g, '$1****$2');
}

/** 3 decimals of a degree: about 100 m, coarser than a building. */
export const roundCoordinate = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 1000);

/** The address at building level: community, zone, building number; never the unit or room. */
export function geoAddress(community: Community, issue: Pick<GeoIssue, 'zone' | 'building'>): string {
  const zone = issue.zone === UNPLACED_ZONE ? '' : zoneNameOf(community, issue.zone);
  return [community.name, zone, issue.building !== null ? `${issue.building}号楼` : ''].join('');
}

export function toGeoRequest(community: Community, issue: GeoIssue): GeoRequest {
  const category = community.categories.get(issue.category);
  const line = issue.line ? community.lines.get(issue.line) : undefined;
  return {
    service_request_id: issue.code,
    status: GEO_STATUS[issue.status],
    status_notes: statusNotes(issue.status),
    service_name: category?.name ?? issue.category,
    service_code: issue.category,
    description: maskPersonalNumbers(issue.description),
    agency_responsible: `${community.name}${line ? line.name : TIER_NAMES[issue.tier]}`,
    service_notice: null,
    requested_datetime: issue.createdAt.toISOString(),
    updated_datetime: issue.updatedAt.toISOString(),
    expected_datetime: issue.resolveDueAt?.toISOString() ?? null,
    address: geoAddress(community, issue),
    address_id:
      issue.building !== null ? String(issue.building) : issue.zone === UNPLACED_ZONE ? null : issue.zone,
    zipcode: null,
    lat: roundCoordinate(issue.latitude),
    long: roundCoordinate(issue.longitude),
    media_url: null,
  };
}

/** The spec's error list: `[{ code, description }]` (code = the HTTP status). */
export interface GeoError {
  code: number;
  description: string;
}
export const toGeoErrors = (status: number, descriptions: string[]): GeoError[] =>
  descriptions.map((description) => ({ code: status, description }));

/**
 * Element names of the XML answers: the root, and each list's item (the spec's XML examples:
 * `<services><service>`, `<service_requests><request>`, `<errors><error>`, …).
 */
export const GEO_XML_ITEMS: Record<string, string> = {
  services: 'service',
  service_requests: 'request',
  errors: 'error',
  attributes: 'attribute',
  values: 'value',
  endpoints: 'endpoint',
  formats: 'format',
};

// The one markup escaper, after removing the characters XML 1.0 cannot carry at all.
const escapeXml = (s: string) =>
  // biome-ignore lint/suspicious/noControlCharactersInRegex: they are what is removed
  escapeMarkup(s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, ''));

function element(name: string, value: unknown): string {
  if (value === null || value === undefined) return `<${name}/>`;
  if (Array.isArray(value)) {
    const item = GEO_XML_ITEMS[name] ?? 'item';
    return `<${name}>${value.map((v) => element(item, v)).join('')}</${name}>`;
  }
  if (value instanceof Date) return `<${name}>${value.toISOString()}</${name}>`;
  if (typeof value === 'object') {
    const inner = Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => element(k, v))
      .join('');
    return `<${name}>${inner}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/**
 * A GeoReport answer as XML: a list under its root (`services`, `service_requests`, `errors`), an
 * object under its name (`discovery`, `service_definition`). Nulls are empty elements.
 */
export const toGeoXml = (root: string, value: unknown): string =>
  `<?xml version="1.0" encoding="utf-8"?>${element(root, value)}`;

/** The XML root of each answer. */
export const GEO_XML_ROOTS = {
  discovery: 'discovery',
  services: 'services',
  serviceDefinition: 'service_definition',
  requests: 'service_requests',
  errors: 'errors',
} as const;

/** GET requests: the spec's default window and the most one answer holds. */
export const GEO_REQUEST_LIMITS = { windowDays: 90, maxPerPage: 1000 } as const;

/** A comma-delimited list in a query parameter (service_request_id, service_code, status). */
const commaList = (what: string) =>
  z
    .string()
    .max(2000)
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .refine((xs) => xs.length > 0 && xs.length <= 200, `${what}须为逗号分隔的列表（1–200 项）`);

const w3cDate = (field: string) =>
  z
    .string()
    .max(40)
    .refine(
      (s) =>
        /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(s) &&
        !Number.isNaN(Date.parse(s)),
      `${field} 须为 W3C 日期时间，如 2026-01-31T08:00:00+08:00 / ${field} must be a W3C datetime`,
    )
    .transform((s) => new Date(s));

/** GET requests' query (the spec's parameters; page and page_size are the common extension). */
export const GeoRequestsQuery = z.object({
  jurisdiction_id: z.string().min(1).max(50).optional(),
  service_request_id: commaList('service_request_id ').optional(),
  service_code: commaList('service_code ').optional(),
  start_date: w3cDate('start_date').optional(),
  end_date: w3cDate('end_date').optional(),
  status: commaList('status ')
    .refine(
      (xs) => xs.every((x) => x === 'open' || x === 'closed'),
      'status 只能是 open 或 closed / status must be open or closed',
    )
    .transform((xs) => xs as GeoStatus[])
    .optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  page_size: z.coerce
    .number()
    .int()
    .min(1)
    .max(GEO_REQUEST_LIMITS.maxPerPage)
    .default(GEO_REQUEST_LIMITS.maxPerPage),
});
export type GeoRequestsQuery = z.infer<typeof GeoRequestsQuery>;

export interface GeoWindow {
  from: Date;
  to: Date;
}

/**
 * The window GET requests reads: the spec's default of the last 90 days; start_date alone runs
 * 90 days on (never past now), end_date alone 90 days back; both may not span more than 90 days.
 * A list of service_request_id ignores the window (the spec: it overrides the other parameters).
 */
export function geoWindow(
  q: { start_date?: Date; end_date?: Date },
  now: Date,
): GeoWindow | { error: string } {
  const span = GEO_REQUEST_LIMITS.windowDays * 86_400_000;
  const to =
    q.end_date ?? (q.start_date ? new Date(Math.min(q.start_date.getTime() + span, now.getTime())) : now);
  const from = q.start_date ?? new Date(to.getTime() - span);
  if (from > to) return { error: 'start_date 晚于 end_date / start_date is after end_date' };
  if (to.getTime() - from.getTime() > span)
    return {
      error: `start_date 与 end_date 相隔不能超过 ${GEO_REQUEST_LIMITS.windowDays} 天 / the range may not span more than ${GEO_REQUEST_LIMITS.windowDays} days`,
    };
  return { from, to };
}

const number = (field: string, min: number, max: number) =>
  z.coerce
    .number({ error: `${field} 须为数字 / ${field} must be a number` })
    .min(min, `${field} 须在 ${min} 到 ${max} 之间 / ${field} must be between ${min} and ${max}`)
    .max(max, `${field} 须在 ${min} 到 ${max} 之间 / ${field} must be between ${min} and ${max}`);

const optionalText = (max: number) =>
  z
    .string()
    .max(max, `最多 ${max} 字 / at most ${max} characters`)
    .transform((s) => s.trim())
    .optional();

/**
 * POST requests' fields (form-encoded per the spec, or JSON). `attribute[urgency]` arrives flat
 * in a form; the API folds `attribute[...]` keys into `attribute` before this schema reads them.
 */
export const GeoRequestInput = z
  .object({
    api_key: z
      .string({ error: '缺少 api_key / api_key is required' })
      .min(1, '缺少 api_key / api_key is required')
      .max(200),
    jurisdiction_id: z.string().min(1).max(50).optional(),
    service_code: z
      .string({ error: '缺少 service_code / service_code is required' })
      .min(1, '缺少 service_code / service_code is required')
      .max(50),
    lat: number('lat', -90, 90).optional(),
    long: number('long', -180, 180).optional(),
    address_string: optionalText(200),
    address_id: optionalText(50),
    email: optionalText(200),
    device_id: optionalText(200),
    account_id: optionalText(200),
    first_name: optionalText(50),
    last_name: optionalText(50),
    phone: optionalText(30),
    description: z
      .string({ error: '缺少 description / description is required' })
      .trim()
      .min(2, '请描述问题，至少 2 个字 / description needs at least 2 characters')
      .max(
        DESCRIPTION_MAX,
        `问题描述最多 ${DESCRIPTION_MAX} 字 / description is at most ${DESCRIPTION_MAX} characters`,
      ),
    media_url: optionalText(2000),
    attribute: z
      .object({
        [URGENCY_ATTRIBUTE]: z
          .enum(URGENCIES, { error: `attribute[urgency] 只能是 ${URGENCIES.join(', ')}` })
          .optional(),
      })
      .optional(),
  })
  .superRefine((v, ctx) => {
    const located = (v.lat !== undefined && v.long !== undefined) || !!v.address_string || !!v.address_id;
    if (!located)
      ctx.addIssue({
        code: 'custom',
        path: ['lat'],
        message:
          '须提供 lat 与 long、address_string 或 address_id 之一 / lat & long, address_string or address_id is required',
      });
    if ((v.lat === undefined) !== (v.long === undefined))
      ctx.addIssue({
        code: 'custom',
        path: ['long'],
        message: 'lat 与 long 须同时提供 / lat and long go together',
      });
  });
export type GeoRequestInput = z.infer<typeof GeoRequestInput>;

/** Fold a form's `attribute[code]=value` keys into `attribute: { code: value }`. */
export function foldAttributes(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const attribute: Record<string, unknown> = {
    ...((body.attribute as Record<string, unknown> | undefined) ?? {}),
  };
  for (const [k, v] of Object.entries(body)) {
    const m = /^attribute\[([^\]]+)\]$/.exec(k);
    if (m) attribute[m[1]!] = v;
    else if (k !== 'attribute') out[k] = v;
  }
  return Object.keys(attribute).length ? { ...out, attribute } : out;
}

/**
 * Where a submitted request goes in the community: address_id names a building number or a zone
 * key; otherwise a building number written in address_string ("12号楼", "12栋", "12幢", "12 号楼").
 * What names neither goes to the triage desk, as a complaint without a place does.
 */
export function geoPlace(
  community: Community,
  input: Pick<GeoRequestInput, 'address_id' | 'address_string'>,
): { building?: number; zone?: string } {
  const id = input.address_id;
  if (id) {
    if (/^\d{1,5}$/.test(id)) return { building: Number(id) };
    if (community.zones.has(id)) return { zone: id };
  }
  const m = input.address_string ? /(\d{1,5})\s*(?:号楼|栋|幢|号)/.exec(input.address_string) : null;
  return m ? { building: Number(m[1]) } : {};
}

/** The urgency of a submitted request (attribute[urgency], else normal). */
export const geoUrgency = (input: Pick<GeoRequestInput, 'attribute'>): Urgency =>
  input.attribute?.[URGENCY_ATTRIBUTE] ?? 'normal';

/** The spot kept on the issue: the address the system sent (trimmed to the complaint form's 100). */
export const geoSpot = (input: Pick<GeoRequestInput, 'address_string'>) =>
  input.address_string ? input.address_string.slice(0, 100) : undefined;

/** The discovery document (GET discovery.json): where the v2 endpoint is and what it speaks. */
export function toGeoDiscovery(baseUrl: string, contact: string, changeset: Date) {
  return {
    changeset: changeset.toISOString(),
    contact,
    key_service:
      '向社区管理员申请 API 密钥（pnpm gongzhi open311-key create）/ ask the community administrator for an API key',
    endpoints: [
      {
        specification: GEOREPORT_SPEC,
        url: `${baseUrl.replace(/\/$/, '')}/open311/v2`,
        changeset: changeset.toISOString(),
        type: 'production',
        formats: ['application/json', 'text/xml'],
      },
    ],
  };
}

// Response schemas of the JSON answers (the routes' zod schemas; the spec's field lists).
export const GeoServiceSchema = z.object({
  service_code: z.string(),
  service_name: z.string(),
  description: z.string(),
  metadata: z.boolean(),
  type: z.enum(['realtime', 'batch', 'blackbox']),
  keywords: z.string(),
  group: z.string(),
});
export const GeoServiceDefinitionSchema = z.object({
  service_code: z.string(),
  attributes: z.array(
    z.object({
      variable: z.boolean(),
      code: z.string(),
      datatype: z.enum(['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist']),
      required: z.boolean(),
      datatype_description: z.string(),
      order: z.number().int(),
      description: z.string(),
      values: z.array(z.object({ key: z.string(), name: z.string() })),
    }),
  ),
});
export const GeoRequestSchema = z.object({
  service_request_id: z.string(),
  status: z.enum(['open', 'closed']),
  status_notes: z.string(),
  service_name: z.string(),
  service_code: z.string(),
  description: z.string(),
  agency_responsible: z.string(),
  service_notice: z.string().nullable(),
  requested_datetime: z.string(),
  updated_datetime: z.string(),
  expected_datetime: z.string().nullable(),
  address: z.string(),
  address_id: z.string().nullable(),
  zipcode: z.string().nullable(),
  lat: z.number().nullable(),
  long: z.number().nullable(),
  media_url: z.string().nullable(),
});
export const GeoSubmittedSchema = z.object({
  service_request_id: z.string(),
  service_notice: z.string(),
  account_id: z.string().nullable(),
});
export const GeoDiscoverySchema = z.object({
  changeset: z.string(),
  contact: z.string(),
  key_service: z.string(),
  endpoints: z.array(
    z.object({
      specification: z.string(),
      url: z.string(),
      changeset: z.string(),
      type: z.enum(['production', 'test']),
      formats: z.array(z.string()),
    }),
  ),
});
export const GeoErrorsSchema = z.array(z.object({ code: z.number().int(), description: z.string() }));
