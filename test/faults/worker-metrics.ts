/** The bearer token the fault suite's workers require on their `/metrics` (METRICS_TOKEN). */
export const FAULT_METRICS_TOKEN = 'fault-suite-metrics-token-0123456789';

/** One sample of the worker's `GET /metrics` (WORKER_METRICS_PORT): the value of a series by name and labels. */
export async function workerMetric(port: number, name: string, labels: Record<string, string> = {}): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${FAULT_METRICS_TOKEN}` } });
  if (!response.ok) throw new Error(`worker metrics answered ${response.status}`);
  const text = await response.text();
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name} `) && !line.startsWith(`${name}{`)) continue;
    const series = line.slice(0, line.lastIndexOf(' '));
    if (wanted.every((label) => series.includes(label))) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}
