/** Links into the Temporal UI for a run's workflow. */
import { ApiEnv } from '@opsloop/config';

export function temporalUiRunUrl(env: Pick<ApiEnv, 'TEMPORAL_UI_URL' | 'TEMPORAL_NAMESPACE'>, workflowId: string): string {
  const base = env.TEMPORAL_UI_URL.replace(/\/+$/, '');
  return `${base}/namespaces/${encodeURIComponent(env.TEMPORAL_NAMESPACE)}/workflows/${encodeURIComponent(workflowId)}`;
}
