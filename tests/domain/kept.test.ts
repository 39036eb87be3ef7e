import { keptFor } from '@gongzhi/domain';

describe('keptFor: worked out once per owner and key', () => {
  it.each([
    ['same owner, same key', 'a', 'a', true, 1],
    ['same owner, another key', 'a', 'b', true, 2],
    ['another owner, same key', 'a', 'a', false, 2],
  ])('%s', (_case, firstKey, secondKey, sameOwner, made) => {
    const cache = new WeakMap<object, Map<string, { key: string }>>();
    const owner = {};
    let calls = 0;
    const make = (key: string) => () => {
      calls += 1;
      return { key };
    };
    const first = keptFor(cache, owner, firstKey, make(firstKey));
    const second = keptFor(cache, sameOwner ? owner : {}, secondKey, make(secondKey));
    expect(calls).toBe(made);
    expect(first === second).toBe(made === 1);
    expect(second.key).toBe(secondKey);
  });

  it('keeps no undefined: a key whose value is undefined is worked out again', () => {
    const cache = new WeakMap<object, Map<string, undefined>>();
    const owner = {};
    let calls = 0;
    keptFor(cache, owner, 'k', () => void calls++);
    keptFor(cache, owner, 'k', () => void calls++);
    expect(calls).toBe(2);
  });
});
