import type { Actor } from '../issues/access';

/** Who keeps the lists: the Party branch (leadership group, or a zone member for `party`) and the 业委会. */
export const keepsHonorRoll = (actor: Pick<Actor, 'roles'>) =>
  !!actor.roles &&
  (actor.roles.leadership || actor.roles.zones.some((z) => z.org === 'oc' || z.org === 'party'));
