import { Forbidden, type GeoRequestInput, geoPlace, geoSpot, geoUrgency, Phone } from '@gongzhi/domain';
import { eq } from 'drizzle-orm';
import { issuesTable } from '../../db/schema';
import { submitComplaint } from '../complaints/submit-complaint';
import type { ContentSecurity } from '../content-security/wechat-security';
import type { ServiceContext } from '../context';
import { findOpen311Key, touchOpen311Key } from './find-open311-key';
import { jurisdictionOf, serviceOf } from './jurisdiction';

/** What POST requests answers (the spec's fields). */
export interface GeoSubmitted {
  service_request_id: string;
  service_notice: string;
  account_id: string | null;
}

export const SUBMITTED_NOTICE = '已受理，已按社区分派规则派给责任人；可用 service_request_id 查询进度';

/** The spec's 403 for a key that is unknown, revoked or not for this community. */
const badKey = () => Forbidden('open311_key_invalid', 'api_key 无效或已吊销 / api_key is invalid or revoked');

/** A phone the submitting system passed, if it is a mainland mobile number (else it is not kept). */
const phoneOf = (raw: string | undefined) => {
  const digits = raw?.replace(/[\s-]/g, '').replace(/^(\+?86)/, '');
  return digits && Phone.safeParse(digits).success ? digits : undefined;
};

/**
 * POST requests: a system with an API key files a request for a resident. It enters as a complaint
 * does (the same verb: routing or the triage desk, the per-place limits, the ban list, the record,
 * Idempotency-Key), its channel `open311`, its intake event naming the key and the system.
 * The answer is the public code (service_request_id): created at once, never a token.
 */
export async function submitServiceRequest(
  ctx: ServiceContext,
  input: GeoRequestInput,
  cs: ContentSecurity | undefined,
): Promise<GeoSubmitted[]> {
  const key = await findOpen311Key(ctx.db, input.api_key);
  if (!key) throw badKey();
  const community = jurisdictionOf(ctx, input.jurisdiction_id ?? key.community ?? undefined);
  if (key.community !== null && key.community !== community.key) throw badKey();
  serviceOf(community, input.service_code);
  const place = geoPlace(community, input);
  const name = [input.last_name, input.first_name].filter(Boolean).join('') || null;
  const receipt = await submitComplaint(
    ctx,
    {
      community,
      code: null,
      zone: place.zone,
      building: place.building,
      category: null,
      system: {
        channel: 'open311',
        intake: {
          open311: {
            keyId: key.id,
            system: key.name,
            ...(input.address_string ? { address: input.address_string } : {}),
            ...(input.media_url ? { mediaUrl: input.media_url } : {}),
          },
        },
        reporterName: name,
        location:
          input.lat !== undefined && input.long !== undefined ? { lat: input.lat, lng: input.long } : null,
      },
    },
    {
      community: community.key,
      category: input.service_code,
      description: input.description,
      spot: geoSpot(input),
      urgency: geoUrgency(input),
      phone: phoneOf(input.phone),
      photos: [],
    },
    // The limits count per key, as they count a resident per address.
    { address: `open311:${key.id}` },
    cs,
  );
  await touchOpen311Key(ctx.db, key.id, ctx.now());
  return [{ service_request_id: receipt.trackingCode, service_notice: SUBMITTED_NOTICE, account_id: null }];
}

/** An idempotent replay: the same answer for the issue the first submission created. */
export async function replayServiceRequest(ctx: ServiceContext, issueId: string): Promise<GeoSubmitted[]> {
  const [row] = await ctx.db
    .select({ code: issuesTable.code })
    .from(issuesTable)
    .where(eq(issuesTable.id, issueId));
  return [{ service_request_id: row!.code, service_notice: SUBMITTED_NOTICE, account_id: null }];
}
