import { z } from 'zod';

// Everything a person reads is Chinese, including zod's built-in messages ("expected number") for
// schemas without a custom one. Set once here, so the API, the CLI and the client agree.
z.config(z.locales.zhCN());
