// The npm Open311 client (open311 0.0.12) ships no types; only what the tests use.
declare module 'open311' {
  type Callback = (err: unknown, data: never) => void;
  interface Open311Options {
    endpoint?: string;
    discovery?: string;
    jurisdiction?: string;
    apiKey?: string;
    format?: 'json' | 'xml';
  }
  class Open311 {
    constructor(options: Open311Options);
    serviceDiscovery(callback: Callback): void;
    serviceList(callback: Callback): void;
    serviceDefinition(serviceCode: string, callback: Callback): void;
    submitRequest(data: Record<string, unknown>, callback: Callback): void;
    serviceRequests(id: string | string[], callback: Callback): void;
  }
  export = Open311;
}
