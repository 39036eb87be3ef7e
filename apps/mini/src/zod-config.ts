import { z } from 'zod';

// zod probes for eval (`new Function`) when it builds its first object schema, which the domain
// package does as its modules load. The H5 client's Content-Security-Policy refuses eval (a
// reported violation) and WeChat forbids it: parse without it. Imported first by app.tsx, so this
// runs before any schema is built.
z.config({ jitless: true });
