import type { PersonRoles } from '../community/lookup';
import { ORG_NAMES, ORGS, type Org } from '../community/schema';
import type { Community } from '../community/validate';
import { Forbidden, Invalid } from '../errors';

/** Whose KPIs (docs/domain.md §11): the community, a zone, a line, an organisation, a person. */
export const KPI_SCOPES = ['community', 'zone', 'line', 'org', 'person'] as const;
export type KpiScopeKind = (typeof KPI_SCOPES)[number];

export const KPI_SCOPE_NAMES: Record<KpiScopeKind, string> = {
  community: '全小区',
  zone: '责任区域',
  line: '专业条线',
  org: '单位',
  person: '个人',
};

/**
 * A resolved scope. Zone and line select issues by the issue's own zone or line; an organisation
 * or a person selects issues that had a task for it / them at any time (the work they were given),
 * whoever holds the issue now.
 */
export type KpiScope =
  | { kind: 'community'; key: null; name: string }
  | { kind: 'zone' | 'line' | 'person'; key: string; name: string }
  | { kind: 'org'; key: Org; name: string };

export interface ScopeInput {
  scope?: KpiScopeKind | undefined;
  zone?: string | undefined;
  line?: string | undefined;
  org?: string | undefined;
  person?: string | undefined;
}

const PARAM: Record<Exclude<KpiScopeKind, 'community'>, 'zone' | 'line' | 'org' | 'person'> = {
  zone: 'zone',
  line: 'line',
  org: 'org',
  person: 'person',
};

/**
 * The scope of a request: `scope` names the kind and the parameter of that kind names which one
 * (`scope=zone&zone=zone-1`). A missing or unknown key, or a key for another kind, is a 400 naming
 * the field under `prefix`.
 */
export function parseKpiScope(community: Community, input: ScopeInput, prefix = ''): KpiScope {
  const kind = input.scope ?? 'community';
  for (const p of ['zone', 'line', 'org', 'person'] as const) {
    if (input[p] !== undefined && PARAM[kind as Exclude<KpiScopeKind, 'community'>] !== p) {
      throw Invalid('scope_param_mismatch', `统计范围为“${KPI_SCOPE_NAMES[kind]}”时不能指定 ${p}`, [
        { path: `${prefix}${p}`, message: `scope=${kind} 时不使用此参数` },
      ]);
    }
  }
  if (kind === 'community') return { kind, key: null, name: community.name };
  const param = PARAM[kind];
  const key = input[param]?.trim();
  if (!key) {
    throw Invalid('scope_key_required', `统计范围为“${KPI_SCOPE_NAMES[kind]}”时须指定 ${param}`, [
      { path: `${prefix}${param}`, message: `scope=${kind} 时必填` },
    ]);
  }
  const unknown = (what: string, valid: string[]) =>
    Invalid(`unknown_${param}`, `${what} "${key}" 不存在`, [
      { path: `${prefix}${param}`, message: `可选：${valid.join('、')}`, valid },
    ]);
  switch (kind) {
    case 'zone': {
      const zone = community.zones.get(key);
      if (!zone) throw unknown('区域', [...community.zones.keys()]);
      return { kind, key, name: zone.name };
    }
    case 'line': {
      const line = community.lines.get(key);
      if (!line) throw unknown('条线', [...community.lines.keys()]);
      return { kind, key, name: `${line.name}条线` };
    }
    case 'org': {
      if (!(ORGS as readonly string[]).includes(key)) throw unknown('单位', [...ORGS]);
      return { kind, key: key as Org, name: ORG_NAMES[key as Org] };
    }
    case 'person': {
      const person = community.people.get(key);
      if (!person) throw unknown('人员', [...community.people.keys()]);
      return { kind, key, name: person.name };
    }
  }
}

/** The roles KPI access looks at (the shape of `Me.roles` too, so the client decides the same way). */
export type KpiRoles = Pick<PersonRoles, 'zones' | 'linesLed' | 'secretary' | 'leadership'>;

export type KpiActor = { admin: boolean; roles: KpiRoles | null };

export interface KpiReach {
  /** Every scope of the community (secretary, leadership group, administrator). */
  all: boolean;
  /** Zones whose KPIs this person may read: the zones they lead. */
  zones: string[];
  /** Lines they lead. */
  lines: string[];
}

/** docs/domain.md §12 for KPIs: secretary and leadership read all; a zone leader their zone; a line leader their line. */
export function kpiReach(actor: KpiActor): KpiReach {
  const r = actor.roles;
  if (actor.admin || (r && (r.secretary || r.leadership))) return { all: true, zones: [], lines: [] };
  return {
    all: false,
    zones: [...new Set(r?.zones.filter((z) => z.leader).map((z) => z.zone) ?? [])],
    lines: [...(r?.linesLed ?? [])],
  };
}

export const mayReadKpis = (reach: KpiReach) => reach.all || reach.zones.length > 0 || reach.lines.length > 0;

/** Refuse someone who may read no KPIs at all (checked before the request is, so nothing else leaks). */
export function assertMayReadKpis(actor: KpiActor): KpiReach {
  const reach = kpiReach(actor);
  if (!mayReadKpis(reach)) {
    throw Forbidden('kpi_not_permitted', '只有四位一体秘书、领导小组、区域组长和条线负责人可以查看考核指标');
  }
  return reach;
}

/** Refuse a scope outside the caller's reach (403 with a code that says why). */
export function assertKpiAccess(actor: KpiActor, scope: KpiScope): void {
  const reach = assertMayReadKpis(actor);
  if (reach.all) return;
  if (scope.kind === 'zone' && reach.zones.includes(scope.key)) return;
  if (scope.kind === 'line' && reach.lines.includes(scope.key)) return;
  throw Forbidden(
    'kpi_scope_not_permitted',
    `您只能查看自己负责的${[reach.zones.length ? '责任区域' : '', reach.lines.length ? '条线' : ''].filter(Boolean).join('或')}的考核指标`,
  );
}

/** One choice of the dashboard's scope picker. */
export interface KpiScopeOption {
  scope: Exclude<KpiScopeKind, 'person'>;
  key: string | null;
  label: string;
}

/**
 * The scopes a person may pick, in the order the dashboard lists them: the whole community, the
 * zones, the lines and the organisations for those who read everything; their own zones and lines
 * otherwise. (Person scopes exist in the API; a picker of every person would be too long.)
 */
export function kpiScopeOptions(
  reach: KpiReach,
  community: { name: string; zones: { key: string; name: string }[]; lines: { key: string; name: string }[] },
): KpiScopeOption[] {
  const zones = community.zones.filter((z) => reach.all || reach.zones.includes(z.key));
  const lines = community.lines.filter((l) => reach.all || reach.lines.includes(l.key));
  return [
    ...(reach.all ? [{ scope: 'community' as const, key: null, label: `全小区（${community.name}）` }] : []),
    ...zones.map((z) => ({ scope: 'zone' as const, key: z.key, label: z.name })),
    ...lines.map((l) => ({ scope: 'line' as const, key: l.key, label: `${l.name}条线` })),
    ...(reach.all ? ORGS.map((o) => ({ scope: 'org' as const, key: o, label: ORG_NAMES[o] })) : []),
  ];
}

/** The query string of a KPI request: `period=2026Q3&scope=zone&zone=zone-1`. */
export function kpiQueryString(
  period: { kind: string; key: string; from: string; to: string },
  scope: { scope: KpiScopeKind; key: string | null },
) {
  const p =
    period.kind === 'range'
      ? `from=${period.from}&to=${period.to}`
      : `period=${encodeURIComponent(period.key)}`;
  return scope.scope === 'community' || scope.key === null
    ? `${p}&scope=community`
    : `${p}&scope=${scope.scope}&${scope.scope}=${encodeURIComponent(scope.key)}`;
}
