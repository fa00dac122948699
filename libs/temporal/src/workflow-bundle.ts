/**
 * How the worker gets its workflow code. `workflows/` is bundled by Temporal's webpack with
 * the `@opsloop/*` aliases from tsconfig, so workflow code may import the pure libs.
 */
import path from 'node:path';
import { BundleOptions, bundleWorkflowCode, WorkerOptions } from '@temporalio/worker';

type WebpackConfig = Parameters<NonNullable<BundleOptions['webpackConfigHook']>>[0];

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { libAliases, root } = require('../../../tools/lib-aliases') as {
  libAliases: () => Record<string, string>;
  root: string;
};

export const WORKFLOWS_PATH = path.join(root, 'workflows', 'index.ts');

export function bundlerOptions() {
  return {
    workflowsPath: WORKFLOWS_PATH,
    webpackConfigHook: (config: WebpackConfig): WebpackConfig => {
      const existing = (config.resolve?.alias ?? {}) as Record<string, string>;
      config.resolve = { ...(config.resolve ?? {}), alias: { ...existing, ...libAliases() } };
      return config;
    },
  };
}

/** Bundle once (e.g. in a test global setup) and hand the code to many workers. */
export async function bundleWorkflows(): Promise<string> {
  const { code } = await bundleWorkflowCode({ ...bundlerOptions(), logger: quietLogger });
  return code;
}

/** Worker options for workflow code: a prebuilt bundle when given, else bundle from source. */
export function workflowSource(bundlePath?: string): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath' | 'bundlerOptions'> {
  if (bundlePath) return { workflowBundle: { codePath: bundlePath } };
  const { workflowsPath, webpackConfigHook } = bundlerOptions();
  return { workflowsPath, bundlerOptions: { webpackConfigHook } };
}

const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (msg: string) => console.warn(msg),
  error: (msg: string) => console.error(msg),
};
