/**
 * The fields of each GeoReport v2 answer, written down from the specification (Open311 GeoReport
 * v2, http://wiki.open311.org/GeoReport_v2, sections "Service Discovery", "GET Service List", "GET
 * Service Definition", "POST Service Request", "GET Service Requests", "Errors"). The tests check
 * our answers against this table, not against our own code's lists.
 */
export const GEOREPORT_FIELDS = {
  discovery: {
    source: 'wiki.open311.org/Service_discovery — Response',
    fields: ['changeset', 'contact', 'key_service', 'endpoints'],
  },
  endpoint: {
    source: 'wiki.open311.org/Service_discovery — endpoints[]',
    fields: ['specification', 'url', 'changeset', 'type', 'formats'],
  },
  service: {
    source: 'GeoReport_v2 — GET Service List, Response',
    fields: ['service_code', 'service_name', 'description', 'metadata', 'type', 'keywords', 'group'],
  },
  serviceDefinition: {
    source: 'GeoReport_v2 — GET Service Definition, Response',
    fields: ['service_code', 'attributes'],
  },
  attribute: {
    source: 'GeoReport_v2 — GET Service Definition, attributes[]',
    fields: [
      'variable',
      'code',
      'datatype',
      'required',
      'datatype_description',
      'order',
      'description',
      'values',
    ],
  },
  attributeValue: {
    source: 'GeoReport_v2 — GET Service Definition, values[]',
    fields: ['key', 'name'],
  },
  submitted: {
    source:
      'GeoReport_v2 — POST Service Request, Response (service_request_id, or token when not created at once)',
    fields: ['service_request_id', 'service_notice', 'account_id'],
  },
  request: {
    source: 'GeoReport_v2 — GET Service Requests / GET Service Request, Response',
    fields: [
      'service_request_id',
      'status',
      'status_notes',
      'service_name',
      'service_code',
      'description',
      'agency_responsible',
      'service_notice',
      'requested_datetime',
      'updated_datetime',
      'expected_datetime',
      'address',
      'address_id',
      'zipcode',
      'lat',
      'long',
      'media_url',
    ],
  },
  error: {
    source: 'GeoReport_v2 — Errors (code = the HTTP status, description = a human-readable reason)',
    fields: ['code', 'description'],
  },
} as const;

/** The spec's XML element names: the root of each answer and the element of each item. */
export const GEOREPORT_XML = {
  discovery: { root: 'discovery', list: 'endpoints', item: 'endpoint' },
  services: { root: 'services', item: 'service' },
  serviceDefinition: { root: 'service_definition', list: 'attributes', item: 'attribute' },
  requests: { root: 'service_requests', item: 'request' },
  errors: { root: 'errors', item: 'error' },
} as const;
