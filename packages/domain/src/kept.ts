/**
 * A value worked out once per owner object and key, then kept while the owner lives: the owner is
 * held weakly (a WeakMap), so a replaced owner — a community's config after an edit, a database
 * handle — takes its entries with it. `make` runs on the first ask of a key; a value of
 * `undefined` is not kept. The caller bounds the set of keys.
 */
export function keptFor<O extends object, K, V>(
  cache: WeakMap<O, Map<K, V>>,
  owner: O,
  key: K,
  make: () => V,
): V {
  let byKey = cache.get(owner);
  if (!byKey) {
    byKey = new Map();
    cache.set(owner, byKey);
  }
  let value = byKey.get(key);
  if (value === undefined) {
    value = make();
    byKey.set(key, value);
  }
  return value;
}
