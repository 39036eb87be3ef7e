import { XMLParser } from 'fast-xml-parser';
import {
  FINAL_STATUSES,
  foldAttributes,
  GEO_STATUS,
  type GeoIssue,
  GeoRequestInput,
  GeoRequestsQuery,
  geoPlace,
  geoUrgency,
  geoWindow,
  ISSUE_STATUSES,
  type IssueStatus,
  maskPersonalNumbers,
  STATUS_NAMES,
  statusesOf,
  statusNotes,
  toGeoRequest,
  toGeoServiceDefinition,
  toGeoServices,
  toGeoXml,
} from '../../packages/domain/src';
import { GEOREPORT_FIELDS } from '../helpers/georeport-spec';
import { loadXiaduoyuan } from './fixtures';

const xdy = loadXiaduoyuan();

describe('Open311: our states as the spec reads them', () => {
  test.each<[IssueStatus, 'open' | 'closed']>([
    ['submitted', 'open'],
    ['dispatched', 'open'],
    ['accepted', 'open'],
    ['in_progress', 'open'],
    ['reopened', 'open'],
    ['escalated', 'open'],
    ['parked', 'open'],
    ['resolved', 'closed'],
    ['closed', 'closed'],
    ['merged', 'closed'],
    ['rejected', 'closed'],
  ])('%s → %s', (status, geo) => {
    expect(GEO_STATUS[status]).toBe(geo);
    expect(statusesOf(geo)).toContain(status);
    expect(statusNotes(status)).toContain(STATUS_NAMES[status]);
  });
  test('every state is mapped, every final state is closed, the filters split the states', () => {
    expect(Object.keys(GEO_STATUS).sort()).toEqual([...ISSUE_STATUSES].sort());
    for (const s of FINAL_STATUSES) expect(GEO_STATUS[s]).toBe('closed');
    expect([...statusesOf('open'), ...statusesOf('closed')].sort()).toEqual([...ISSUE_STATUSES].sort());
  });
});

describe('Open311: categories as services', () => {
  const services = toGeoServices(xdy);
  test('one service per category, with every field of the spec', () => {
    expect(services.map((s) => s.service_code)).toEqual([...xdy.categories.keys()]);
    for (const s of services)
      expect(Object.keys(s).sort()).toEqual([...GEOREPORT_FIELDS.service.fields].sort());
  });
  test.each([
    ['elevator', '电梯故障', '电梯'],
    ['greening', '绿化养护', '综合事务'],
  ])('%s: name %s, group of its line (%s)', (code, name, group) => {
    const s = services.find((x) => x.service_code === code)!;
    expect(s).toMatchObject({ service_name: name, type: 'realtime', metadata: true });
    expect(s.group).toContain(group);
    expect(s.keywords.split(',')).toContain(name);
  });
  test('the definition: the urgency attribute, a single-value list of our three urgencies', () => {
    const d = toGeoServiceDefinition('greening');
    expect(Object.keys(d).sort()).toEqual([...GEOREPORT_FIELDS.serviceDefinition.fields].sort());
    expect(d.attributes).toHaveLength(1);
    expect(Object.keys(d.attributes[0]!).sort()).toEqual([...GEOREPORT_FIELDS.attribute.fields].sort());
    expect(d.attributes[0]!.values.map((v) => v.key)).toEqual(['normal', 'urgent', 'emergency']);
  });
});

describe('Open311: an issue as a service request (public, no personal data)', () => {
  const issue: GeoIssue = {
    code: 'AB23CD45',
    status: 'dispatched',
    category: 'elevator',
    description: '电梯坏了，联系我 13812345678，身份证 310101199001011234',
    zone: 'zone-1',
    building: 12,
    latitude: 31.234567,
    longitude: 121.456789,
    tier: 'line',
    line: 'elevator',
    createdAt: new Date('2026-11-16T02:00:00Z'),
    updatedAt: new Date('2026-11-16T03:00:00Z'),
    resolveDueAt: new Date('2026-11-18T02:00:00Z'),
  };
  const r = toGeoRequest(xdy, issue);
  test('every field of the spec', () => {
    expect(Object.keys(r).sort()).toEqual([...GEOREPORT_FIELDS.request.fields].sort());
  });
  test('the values', () => {
    expect(r).toMatchObject({
      service_request_id: 'AB23CD45',
      status: 'open',
      status_notes: '已派单',
      service_code: 'elevator',
      service_name: '电梯故障',
      address: `${xdy.name}第一责任区域12号楼`,
      address_id: '12',
      lat: 31.235,
      long: 121.457,
      requested_datetime: '2026-11-16T02:00:00.000Z',
      expected_datetime: '2026-11-18T02:00:00.000Z',
      media_url: null,
    });
    expect(r.agency_responsible).toContain('电梯');
  });
  test.each([
    ['13812345678', '138****5678'],
    ['电话13812345678。', '电话138****5678。'],
    ['310101199001011234', '310101********1234'],
    ['31010119900101123X', '310101********123X'],
    ['订单号 123456789012345678901', '订单号 123456789012345678901'],
    ['12号楼 3 单元', '12号楼 3 单元'],
  ])('%s is shown as %s', (raw, shown) => expect(maskPersonalNumbers(raw)).toBe(shown));
  test('a zone without a building: the zone is the address_id; the unplaced: none', () => {
    expect(toGeoRequest(xdy, { ...issue, building: null, zone: 'zone-2' })).toMatchObject({
      address: `${xdy.name}第二责任区域`,
      address_id: 'zone-2',
    });
    expect(toGeoRequest(xdy, { ...issue, building: null, zone: '_unplaced' })).toMatchObject({
      address: xdy.name,
      address_id: null,
      lat: 31.235,
    });
    expect(toGeoRequest(xdy, { ...issue, latitude: null, longitude: null })).toMatchObject({
      lat: null,
      long: null,
    });
  });
});

describe('Open311: the XML shapes', () => {
  const parser = new XMLParser({
    isArray: (name) => ['service', 'request', 'error', 'attribute', 'value'].includes(name),
  });
  test('a list under its root, one element per item; nulls empty; text escaped', () => {
    const xml = toGeoXml('service_requests', [
      { service_request_id: 'A1', description: '<b>&"', lat: null },
      { service_request_id: 'A2', description: 'x', lat: 1.5 },
    ]);
    expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?><service_requests><request>')).toBe(true);
    const doc = parser.parse(xml);
    expect(doc.service_requests.request).toHaveLength(2);
    expect(doc.service_requests.request[0]).toEqual({
      service_request_id: 'A1',
      description: '<b>&"',
      lat: '',
    });
  });
  test('errors as <errors><error><code/><description/>', () => {
    const doc = parser.parse(toGeoXml('errors', [{ code: 403, description: 'api_key 无效' }]));
    expect(doc.errors.error).toEqual([{ code: 403, description: 'api_key 无效' }]);
  });
  test('a service definition: attributes and their values', () => {
    const doc = parser.parse(toGeoXml('service_definition', toGeoServiceDefinition('greening')));
    expect(doc.service_definition.attributes.attribute[0].values.value).toHaveLength(3);
  });
});

describe('Open311: the request inputs', () => {
  const base = { api_key: 'k', service_code: 'greening', description: '绿化带枯死' };
  test.each<[string, Record<string, unknown>, string | null]>([
    ['lat/long', { lat: '31.2', long: '121.4' }, null],
    ['address_string', { address_string: '12号楼南侧' }, null],
    ['address_id', { address_id: '12' }, null],
    ['no place', {}, 'lat & long, address_string or address_id is required'],
    ['lat without long', { lat: '31.2', address_id: '12' }, 'lat and long go together'],
    ['lat out of range', { lat: '91', long: '0' }, 'lat must be between -90 and 90'],
    ['lat not a number', { lat: 'north', long: '0' }, 'lat must be a number'],
    ['no description', { address_id: '12', description: undefined }, 'description is required'],
    ['bad urgency', { address_id: '12', attribute: { urgency: 'now' } }, 'attribute[urgency]'],
  ])('%s', (_name, extra, error) => {
    const r = GeoRequestInput.safeParse({ ...base, ...extra });
    if (error === null) expect(r.success).toBe(true);
    else expect(r.error?.issues.map((i) => i.message).join('\n')).toContain(error);
  });
  test('a form’s attribute[code] keys fold into attribute', () => {
    expect(foldAttributes({ a: '1', 'attribute[urgency]': 'urgent' })).toEqual({
      a: '1',
      attribute: { urgency: 'urgent' },
    });
    expect(
      geoUrgency(GeoRequestInput.parse({ ...base, address_id: '1', attribute: { urgency: 'urgent' } })),
    ).toBe('urgent');
    expect(geoUrgency(GeoRequestInput.parse({ ...base, address_id: '1' }))).toBe('normal');
  });
  test.each<[Record<string, string>, { building?: number; zone?: string }]>([
    [{ address_id: '12' }, { building: 12 }],
    [{ address_id: 'commercial' }, { zone: 'commercial' }],
    [{ address_id: 'nowhere' }, {}],
    [{ address_string: '夏朵园 12号楼 3 单元' }, { building: 12 }],
    [{ address_string: '88栋门口' }, { building: 88 }],
    [{ address_string: '南门绿地' }, {}],
  ])('place of %j: %j', (input, place) => expect(geoPlace(xdy, input)).toEqual(place));
});

describe('Open311: the GET requests window', () => {
  const now = new Date('2026-11-16T00:00:00Z');
  const day = 86_400_000;
  const q = (o: Record<string, string>) => GeoRequestsQuery.parse(o);
  test.each<[string, Record<string, string>, { from: number; to: number } | string]>([
    ['default: the last 90 days', {}, { from: now.getTime() - 90 * day, to: now.getTime() }],
    [
      'start only: 90 days on, not past now',
      { start_date: '2026-11-01T00:00:00Z' },
      { from: Date.parse('2026-11-01T00:00:00Z'), to: now.getTime() },
    ],
    [
      'end only: 90 days back',
      { end_date: '2026-10-01T00:00:00Z' },
      { from: Date.parse('2026-10-01T00:00:00Z') - 90 * day, to: Date.parse('2026-10-01T00:00:00Z') },
    ],
    [
      'more than 90 days',
      { start_date: '2026-01-01', end_date: '2026-06-01' },
      'may not span more than 90 days',
    ],
    ['start after end', { start_date: '2026-06-02', end_date: '2026-06-01' }, 'start_date is after end_date'],
  ])('%s', (_name, params, expected) => {
    const w = geoWindow(q(params), now);
    if (typeof expected === 'string') expect('error' in w && w.error).toContain(expected);
    else expect(w).toEqual({ from: new Date(expected.from), to: new Date(expected.to) });
  });
  test('page_size defaults to the spec’s 1000 and cannot exceed it; lists and statuses are comma-separated', () => {
    expect(q({}).page_size).toBe(1000);
    expect(GeoRequestsQuery.safeParse({ page_size: '1001' }).success).toBe(false);
    expect(q({ service_code: 'a, b', status: 'open,closed' })).toMatchObject({
      service_code: ['a', 'b'],
      status: ['open', 'closed'],
    });
    expect(GeoRequestsQuery.safeParse({ status: 'pending' }).success).toBe(false);
    expect(GeoRequestsQuery.safeParse({ start_date: 'yesterday' }).success).toBe(false);
  });
});
