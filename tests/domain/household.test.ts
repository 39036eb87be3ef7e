import { parseRoom, resolveHousehold } from '../../packages/domain/src/evaluation/household';
import { loadXiaduoyuan } from './fixtures';

/**
 * One canonical form of a room decides "one household": every spelling a resident or a slip may
 * use for the same room must come out the same, and different rooms must not.
 */
describe('parseRoom: one canonical room for every spelling of it', () => {
  it.each([
    // room 302
    ['302', null, '302'],
    ['0302', null, '302'],
    ['00302', null, '302'],
    ['３０２', null, '302'], // full-width digits
    ['０３０２', null, '302'],
    ['302室', null, '302'],
    ['302号', null, '302'],
    ['302户', null, '302'],
    ['302房', null, '302'],
    [' 3 0 2 ', null, '302'],
    ['\u3000302\u3000', null, '302'], // ideographic spaces
    ['12号楼302室', 12, '302'],
    ['12栋0302', 12, '302'],
    ['１２幢３０２', 12, '302'],
    // unit 3, room 302
    ['3单元302室', null, '3-302'],
    ['03单元0302', null, '3-302'],
    ['3-302', null, '3-302'],
    ['3－０３０２', null, '3-302'],
    ['3号302', null, '3-302'],
    ['3/302', null, '3-302'],
    ['12号楼3单元302室', 12, '3-302'],
    // letters keep their zeros: B02 is not B2
    ['b02', null, 'B02'],
    ['0', null, '0'],
    ['000', null, '0'],
  ])('%j → building %j, room %j', (text, building, room) =>
    expect(parseRoom(text)).toEqual({ building, room }),
  );

  it.each([
    ['302', '3020'],
    ['3-302', '302'],
    ['3-302', '33-02'],
    ['B02', 'B2'],
  ])('%j and %j stay different households', (a, b) =>
    expect(parseRoom(a)?.room).not.toBe(parseRoom(b)?.room),
  );

  it.each([[''], ['三楼'], ['302#'], ['1234567'], ['-'], ['1-2-3-4'], ['12号楼']])(
    '%j is not a room',
    (text) => expect(parseRoom(text)).toBeNull(),
  );
});

describe('resolveHousehold uses the canonical room', () => {
  const community = loadXiaduoyuan();
  it('"0302" and "302" are one household of building 12', () => {
    expect(resolveHousehold(community, { building: 12, room: '0302' }).room).toBe('302');
    expect(resolveHousehold(community, { building: 12, room: '12号楼302室' }).room).toBe('302');
  });
  it('a building written in the room that is not the building is refused', () => {
    expect(() => resolveHousehold(community, { building: 13, room: '12号楼302室' })).toThrow(
      expect.objectContaining({
        code: 'room_building_mismatch',
        details: [expect.objectContaining({ path: 'body.room' })],
      }),
    );
  });
});
