import {
  applyConfigChanges,
  type ConfigEditInput,
  type ConfigEditResult,
  Unprocessable,
} from '@gongzhi/domain';
import { audit, auditActorOf } from '../../lib/audit';
import { serveVersion } from '../communities/refresh-community-configs';
import { saveConfigVersion } from '../communities/save-config-version';
import { getCommunity, type ServiceContext } from '../context';
import { peopleViewOf } from './people-view';

/**
 * An administrator's change to people and roles: applied to the latest saved version (409 when
 * the edit was based on an older one), validated like the YAML (422 listing every problem, nothing
 * written), saved as the next version with its reason and diff, and served here at once; other
 * instances pick it up on their next poll.
 */
export async function editCommunityConfig(
  ctx: ServiceContext,
  key: string,
  input: ConfigEditInput,
): Promise<ConfigEditResult> {
  getCommunity(ctx, key);
  const principal = ctx.principal!;
  const outcome = await saveConfigVersion(ctx.db, {
    key,
    baseVersion: input.baseVersion,
    make: (latest) => {
      const applied = applyConfigChanges(latest!, input.changes);
      return applied.ok ? { raw: applied.config } : { problems: applied.problems };
    },
    source: 'app',
    author: { accountId: principal.accountId, name: principal.displayName },
    reason: input.reason,
    calendars: ctx.calendars,
    at: ctx.now(),
  });
  if (!outcome.saved) {
    throw Unprocessable('config_unchanged', '这些修改与当前配置相同，没有产生新版本', [
      { path: 'changes', message: '与当前配置相同' },
    ]);
  }
  serveVersion(ctx.communities, key, outcome.version, outcome.community);
  audit(ctx.log, {
    action: 'config.changed',
    ...auditActorOf(principal),
    target: `community:${key}`,
    at: ctx.now(),
    requestId: ctx.requestId ?? null,
    detail: { version: outcome.version, baseVersion: input.baseVersion },
  });
  return {
    version: {
      version: outcome.version,
      source: 'app',
      author: principal.displayName,
      reason: input.reason,
      createdAt: ctx.now().toISOString(),
      diff: outcome.diff,
    },
    community: peopleViewOf(outcome.community, outcome.version),
  };
}
