import { createHash } from 'node:crypto';
import type { Community } from '@gongzhi/domain';
import { and, eq, notInArray } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { communitiesTable, membershipsTable, peopleTable, zonesTable } from '../../db/schema';

/**
 * Make the database mirror the configs: upsert communities, zones and people by key, replace
 * memberships. People and zones that left the config are marked inactive, not deleted: old issues
 * and events still name them.
 */
export async function syncCommunities(db: Db, communities: Map<string, Community>): Promise<void> {
  for (const community of communities.values()) {
    await db.transaction((tx) => mirrorCommunity(tx, community));
  }
}

/** Mirror one community inside the caller's transaction (the one that saves its config version). */
export async function mirrorCommunity(tx: Tx, community: Community): Promise<void> {
  const c = community.config;
  const configHash = createHash('sha256').update(JSON.stringify(c)).digest('hex');
  {
    const [row] = await tx
      .insert(communitiesTable)
      .values({ key: c.key, name: c.name, config: c, configHash })
      .onConflictDoUpdate({
        target: communitiesTable.key,
        set: { name: c.name, config: c, configHash, syncedAt: new Date() },
      })
      .returning({ id: communitiesTable.id });
    const communityId = row!.id;

    const people = new Map<string, string>();
    for (const p of c.people) {
      const [r] = await tx
        .insert(peopleTable)
        .values({
          communityId,
          key: p.key,
          name: p.name,
          phone: p.phone ?? null,
          showContact: p.showContact,
          active: p.active,
        })
        .onConflictDoUpdate({
          target: [peopleTable.communityId, peopleTable.key],
          set: { name: p.name, phone: p.phone ?? null, showContact: p.showContact, active: p.active },
        })
        .returning({ id: peopleTable.id });
      people.set(p.key, r!.id);
    }
    await tx
      .update(peopleTable)
      .set({ active: false })
      .where(and(eq(peopleTable.communityId, communityId), notInArray(peopleTable.key, [...people.keys()])));

    const zoneKeys: string[] = [];
    for (const z of c.zones) {
      zoneKeys.push(z.key);
      const [r] = await tx
        .insert(zonesTable)
        .values({ communityId, key: z.key, name: z.name, buildings: z.buildings, note: z.note ?? null })
        .onConflictDoUpdate({
          target: [zonesTable.communityId, zonesTable.key],
          set: { name: z.name, buildings: z.buildings, note: z.note ?? null, active: true },
        })
        .returning({ id: zonesTable.id });
      const zoneId = r!.id;
      await tx.delete(membershipsTable).where(eq(membershipsTable.zoneId, zoneId));
      const members = [{ ...z.leader, leader: true }, ...z.members.map((m) => ({ ...m, leader: false }))];
      await tx
        .insert(membershipsTable)
        .values(
          members.map((m) => ({ zoneId, personId: people.get(m.person)!, org: m.org, leader: m.leader })),
        )
        .onConflictDoNothing();
    }
    await tx
      .update(zonesTable)
      .set({ active: false })
      .where(and(eq(zonesTable.communityId, communityId), notInArray(zonesTable.key, zoneKeys)));
  }
}
