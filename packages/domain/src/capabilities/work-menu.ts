import { z } from 'zod';
import type { AccountReach } from '../accounts/access';
import { mayManageArchives } from '../archive/lock';
import type { Community } from '../community/validate';
import { runsEvaluation } from '../evaluation/campaign';
import { mayVerifyHome } from '../evaluation/household';
import { keepsExternalOrders } from '../external/orders';
import { readableLetterOrgs, readsLetters } from '../followup/letters';
import { type Actor, readsAllIssues } from '../issues/access';
import { recordsCallbacks } from '../issues/callback';
import { keepsDesk } from '../issues/desk';
import { kpiReach, mayReadKpis } from '../kpi/scope';
import { keepsHonorRoll } from '../notices/honor-roll';
import { readsNoticeDrafts } from '../notices/lifecycle';
import { isSupervisor } from '../oversight/comments';
import { roundZones } from '../oversight/rounds';
import { readsEvaluationReport } from '../reports/evaluation-report';
import { keepsTriageDesk } from '../routing/triage';
import { picksTopics } from '../topics/monthly-topic';

/**
 * The work desk (工作台): which entries a caller may open. The server computes it (GET /api/me,
 * `menu`) from the same rules the pages behind the entries enforce; the mini-program shows exactly
 * these entries, in this order, and decides nothing itself.
 */
export const WORK_MENU_KEYS = [
  'patrol_report',
  'rounds',
  'zone_issues',
  'dispatch_desk',
  'triage_desk',
  'external_orders',
  'my_tasks',
  'overdue_tasks',
  'inbox',
  'letters',
  'credit',
  'oversight',
  'reports',
  'my_shifts',
  'rota',
  'swaps',
  'duty_log',
  'zone_meetings',
  'joint_meetings',
  'resolutions',
  'monthly_topics',
  'notices',
  'honor_roll',
  'ledger',
  'archive',
  'evaluation_admin',
  'verify_homes',
  'kpis',
  'accounts',
  'password',
  'people',
  'callbacks',
  'rollup',
  'open311_keys',
  'bans',
] as const;
export type WorkMenuKey = (typeof WORK_MENU_KEYS)[number];

/**
 * One entry. `variant` says which form of it the caller gets, where there is more than one:
 * zone meetings `leader` (convenes them) or null (reads their zone's); joint meetings `secretary`
 * (arranges them) or null; accounts `all` or `community` (the reach); credit the organisation whose
 * file opens first.
 */
export const WorkMenuEntry = z.object({ key: z.enum(WORK_MENU_KEYS), variant: z.string().nullable() });
export type WorkMenuEntry = z.infer<typeof WorkMenuEntry>;

export interface WorkMenuCaller {
  kind: 'staff' | 'resident' | 'admin';
  /** The caller in their own community (roles null without a config person there). */
  actor: Actor;
  /** The community of the caller's config person, if any. */
  community: Community | null;
  /** Account administration reach (`accountReach`). */
  accountReach: AccountReach;
}

/** Those who own issues and so watch their overdue tasks; everyone who reads all issues watches all. */
export const overseesTasks = (actor: Actor) =>
  readsAllIssues(actor) ||
  (!!actor.roles &&
    (actor.roles.zones.some((z) => z.leader) ||
      actor.roles.linesLed.length > 0 ||
      actor.roles.propertyManager));

/** Who takes part in meetings: zone members (their zone's), the secretary and the leadership group. */
export const attendsMeetings = (actor: Actor) =>
  !!actor.roles && (actor.roles.zones.length > 0 || actor.roles.secretary || actor.roles.leadership);

export function workMenu(caller: WorkMenuCaller): WorkMenuEntry[] {
  const { actor, community } = caller;
  const roles = actor.roles;
  const out: WorkMenuEntry[] = [];
  const add = (key: WorkMenuKey, when: boolean, variant: string | null = null) => {
    if (when) out.push({ key, variant });
  };
  // A person of a community: the areas whose pages work in the caller's own community.
  const member = community !== null && roles !== null;

  add('patrol_report', !!roles && roles.zones.length > 0);
  // 两巡两访: those who record rounds, zone leaders (their zones') and those who read every issue.
  add(
    'rounds',
    readsAllIssues(actor) || roundZones(roles).length > 0 || !!roles?.zones.some((z) => z.leader),
  );
  add('zone_issues', true);
  add('dispatch_desk', keepsDesk(actor));
  // 回访: owners, the rc desk, the secretary and administrators call reporters back (issues/callback.ts).
  add('callbacks', recordsCallbacks(actor));
  // The triage desk (兜底): its keeper (the secretary or the rc desk, by config) and administrators.
  add('triage_desk', community !== null && keepsTriageDesk(actor, community));
  // External orders (12345, the street office): those who enter them and reply.
  add('external_orders', community !== null && keepsExternalOrders(actor, community));
  add('my_tasks', true);
  add('overdue_tasks', overseesTasks(actor));
  add('inbox', true);
  const orgs = community ? readableLetterOrgs(actor, community) : [];
  add('letters', member && readsLetters(orgs));
  add('credit', member && readsLetters(orgs), orgs === 'all' ? 'property' : (orgs[0] ?? null));
  add('oversight', member && isSupervisor(actor));
  add('reports', member && readsEvaluationReport(actor));
  for (const key of ['my_shifts', 'rota', 'swaps', 'duty_log'] as const) add(key, member);
  const meets = attendsMeetings(actor);
  add('zone_meetings', meets, roles?.zones.some((z) => z.leader) ? 'leader' : null);
  add('joint_meetings', meets, roles?.secretary ? 'secretary' : null);
  add('resolutions', meets);
  // 每月一题: the leadership and the secretary pick the month's topic.
  add('monthly_topics', member && picksTopics(actor));
  add('notices', member && readsNoticeDrafts(actor));
  add('honor_roll', member && keepsHonorRoll(actor));
  // The issue ledger (工单台账): every member of the community staff, over the issues they read.
  add('ledger', member);
  add('archive', member && mayManageArchives(actor));
  add('evaluation_admin', member && runsEvaluation(roles));
  add('verify_homes', !!roles?.zones.some((z) => mayVerifyHome(roles, z.zone)));
  add('kpis', mayReadKpis(kpiReach(actor)));
  add('accounts', caller.accountReach !== null, caller.accountReach?.scope ?? null);
  add('password', caller.kind !== 'resident');
  add('people', caller.kind === 'admin');
  // The district roll-up, Open311 keys and the ban list: administrators (their routes' requireAdmin).
  for (const key of ['rollup', 'open311_keys', 'bans'] as const) add(key, caller.kind === 'admin');
  return out;
}

/** Whether a menu holds an entry (for tests and the CLI). */
export const menuHas = (menu: readonly WorkMenuEntry[], key: WorkMenuKey) => menu.some((e) => e.key === key);
