import path from 'node:path';
import { defineConfig, type UserConfigExport } from '@tarojs/cli';

/**
 * Where the weapp build sends its requests. The H5 build is served by the API itself, so it calls
 * its own origin; a WeChat build needs an absolute HTTPS URL in production (GONGZHI_API_BASE).
 */
const apiBase = (platform: string | undefined) =>
  platform === 'h5' ? '' : (process.env.GONGZHI_API_BASE ?? 'http://localhost:3000');

/** @gongzhi/domain is TypeScript source (its `main` is src/index.ts): compile it like our own. */
const DOMAIN_SRC = path.resolve(__dirname, '../../../packages/domain/src');

export default defineConfig<'webpack5'>(async (merge) => {
  const base: UserConfigExport<'webpack5'> = {
    projectName: 'gongzhi-mini',
    date: '2026-11-21',
    designWidth: 375,
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    outputRoot: process.env.TARO_ENV === 'h5' ? 'dist/h5' : 'dist/weapp',
    plugins: [],
    defineConstants: {
      API_BASE: JSON.stringify(apiBase(process.env.TARO_ENV)),
    },
    alias: {
      '@': path.resolve(__dirname, '..', 'src'),
    },
    framework: 'react',
    compiler: { type: 'webpack5', prebundle: { enable: false } },
    cache: { enable: false },
    mini: {
      compile: { include: [DOMAIN_SRC] },
      postcss: {
        pxtransform: { enable: true, config: { selectorBlackList: ['nut-'] } },
        cssModules: { enable: false },
      },
      // Modules used only by a subpackage's pages live in that subpackage, not in the main package.
      optimizeMainPackage: { enable: true },
      // NutUI's per-component CSS is imported in different orders by different pages; harmless.
      miniCssExtractPluginOption: { ignoreOrder: true },
    },
    h5: {
      publicPath: '/',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      compile: { include: [DOMAIN_SRC] },
      output: { filename: 'js/[name].[contenthash:8].js', chunkFilename: 'js/[name].[contenthash:8].js' },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[contenthash:8].css',
        chunkFilename: 'css/[name].[contenthash:8].css',
      },
      postcss: {
        pxtransform: { enable: true, config: { selectorBlackList: ['nut-'] } },
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false },
      },
    },
  };
  return merge({}, base, process.env.NODE_ENV === 'development' ? {} : { mini: {}, h5: {} });
});
